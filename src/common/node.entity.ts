import { OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, ID, InterfaceType } from 'type-graphql';
import { updatedAtOnUpdate } from './clock';
import { ORDER_TIMESTAMP } from './pagination';
import { toGlobalId } from './global-id';

/**
 * The base of every entity the API exposes: an integer key in the database, an opaque
 * global ID in GraphQL (the Relay `Node` interface), and audit timestamps.
 * The GraphQL type name is the class name; `node(id:)` relies on that.
 */
@InterfaceType('Node', { description: 'An object with an opaque global ID that `node(id:)` resolves.' })
export abstract class NodeEntity {
  /** Properties with defaults or computed getters, which `em.create` must not demand. */
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'globalId' | 'graphqlTypeName' | 'isPartyMember' | 'functional' | 'duties' | 'path' | 'level' | 'version' | 'active' | 'data' | 'failedSignIns' | 'sessionVersion';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global ID; pass it to `node(id:)`.' })
  get globalId(): string {
    return toGlobalId(this.graphqlTypeName, this.id);
  }

  /**
   * The GraphQL type this entity is shown as. The class name, except where one table holds
   * several types (areas): an entity first met as a reference of the base class keeps that
   * class, so its type must come from its data, never from `constructor.name`.
   */
  get graphqlTypeName(): string {
    return this.constructor.name;
  }

  /** Milliseconds (timestamptz(3)), all a JS Date and so a list's cursor holds: see ORDER_TIMESTAMP. */
  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', columnType: ORDER_TIMESTAMP, onCreate: () => new Date() })
  createdAt: Date = new Date();

  /** On an update, the value the service set, else the request's clock (updatedAtOnUpdate): never the server's over the app's. */
  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: updatedAtOnUpdate })
  updatedAt: Date = new Date();
}
