import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/core';
import type { Account } from '../modules/identity/identity.entity';

/**
 * A mutation an account sent with an `Idempotency-Key` header, and the answer it got: a retry with
 * the same key gets that answer again instead of running the mutation twice. `response` is null
 * while the first request runs (or if the server stopped before answering it). Kept a day.
 */
@Entity({ tableName: 'idempotency_key' })
@Unique({ properties: ['account', 'key'] })
export class IdempotencyKey {
  @PrimaryKey()
  id!: number;

  @ManyToOne('Account', { deleteRule: 'cascade' })
  account!: Rel<Account>;

  @Property({ type: 'string', length: 100 })
  key!: string;

  /** sha256 of the operation and its variables: the same key with another operation is refused. */
  @Property({ type: 'string', length: 64 })
  fingerprint!: string;

  /**
   * What the first request got: `{ answer, personalDataReads }`, the GraphQL response body as the
   * JSON text sent (jsonb would reorder its fields) and the personal-data readings it showed.
   */
  @Property({ type: 'json', nullable: true })
  response?: unknown;

  /** Its HTTP status. */
  @Property({ type: 'smallint', nullable: true })
  status?: number | null;

  @Property({ type: 'timestamptz' })
  @Index()
  createdAt: Date = new Date();
}
