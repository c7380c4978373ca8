import { Entity, Index, Property } from '@mikro-orm/core';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Arg, Field, ObjectType } from 'type-graphql';
import { forbidden } from '../../common/errors';
import { toGlobalId } from '../../common/global-id';
import { NodeEntity } from '../../common/node.entity';
import type { AppContext } from '../../context/context';
import { viewerId } from '../../context/context';
import { Area } from '../area/area.entity';
import { pathInScope } from './access';
import { RECORD_TYPES, SCOPE_PATHS } from './scope.rules';
import { maySeePersonalData } from '../../common/privacy';
import type { PersonalDataField } from '../../common/personal-fields';

/**
 * Personal data (residents' names, phones, ID numbers) leaves the API masked. Staff may ask
 * for a field unmasked (`reveal: true`) for records inside their scope; each such reading is
 * written to this audit log (one row per record and field per request).
 */
@ObjectType({ implements: NodeEntity, description: 'One reading of unmasked personal data: who, when, which record and field.' })
@Entity({ tableName: 'personal_data_access' })
@Index({ properties: ['createdAt'] })
export class PersonalDataAccess extends NodeEntity {
  @Field({ description: 'Who read it, e.g. account:wang.li.' })
  @Property({ type: 'string', length: 80 })
  actor!: string;

  @Field()
  @Property({ type: 'string', length: 100 })
  requestId!: string;

  @Field({ description: 'Global ID of the record read.' })
  @Property({ type: 'string', length: 100 })
  @Index()
  subjectId!: string;

  @Field()
  @Property({ type: 'string', length: 60 })
  field!: string;

  @Field(() => DateTimeISOResolver)
  get readAt(): Date {
    return this.createdAt;
  }
}

/** A record holding personal data: its type, id and the area it belongs to. */
export interface PersonalDataSubject {
  typeName: string;
  id: number;
  /** Materialised path of the record's area; null when it has none (then only unbound staff may read it). */
  areaPath: () => Promise<string | null>;
}

/** Readings collected during one request; written in one statement when the answer is sent. */
export type PersonalDataReads = Map<string, { subjectId: string; field: string }>;

/**
 * The value of a personal-data field for this viewer: masked, unless `reveal` is asked for by
 * a role that may and the record lies in the viewer's scope (then audited). Asking without the
 * right is FORBIDDEN rather than silently masked, so a dashboard learns it at once.
 */
export async function personalField(
  ctx: AppContext,
  subject: PersonalDataSubject,
  field: PersonalDataField,
  value: string | null | undefined,
  mask: (value: string | null | undefined) => string | null,
  reveal: boolean,
): Promise<string | null> {
  if (!reveal || value == null) return mask(value);
  const viewer = ctx.viewer;
  if (viewer.kind !== 'account' || !maySeePersonalData(viewer)) throw forbidden(`Your role may not see ${field} unmasked`);
  const path = await subject.areaPath();
  if (path === null ? viewer.scopePaths !== null : !pathInScope(viewer, path)) throw forbidden(`This record is outside the areas whose personal data you may see`);
  const subjectId = toGlobalId(subject.typeName, subject.id);
  ctx.personalDataReads.set(`${subjectId}:${field}`, { subjectId, field });
  return value;
}

/** Writes the request's readings to the audit log (called once per request, as the answer goes out). */
export async function flushPersonalDataReads(ctx: AppContext): Promise<void> {
  if (ctx.personalDataReads.size === 0) return;
  const rows = [...ctx.personalDataReads.values()];
  ctx.personalDataReads.clear();
  const now = new Date();
  await ctx.em.fork().insertMany(
    PersonalDataAccess,
    rows.map((row) => ({ actor: viewerId(ctx.viewer), requestId: ctx.requestId, subjectId: row.subjectId, field: row.field, createdAt: now, updatedAt: now })),
  );
}

/** The `reveal` argument every personal-data field takes. */
export function RevealArg(): ReturnType<typeof Arg> {
  return Arg('reveal', () => Boolean, { defaultValue: false, description: 'Staff only, inside their scope: the unmasked value (the reading is audited).' });
}

/** The materialised path of an area by id (through the request's loader); null for none. */
export async function areaPathOf(ctx: AppContext, areaId: number | null | undefined): Promise<string | null> {
  if (!areaId) return null;
  const area = await ctx.loaders.byId(Area).load(areaId);
  return area?.path ?? null;
}

/**
 * Whether a staff viewer reads `record` (an entity of the public directory: a pairing, an
 * alliance and its seats, a party organisation, a livelihood project and its ledger) from outside
 * their scope. Those are readable by everyone, so the scope filter does not hold them back, but
 * the free text in them is shown as written only where the viewer could reveal personal data:
 * inside their scope, as `reveal` (personalField) requires. Case records (RECORD_TYPES) are never
 * read outside the scope at all. One query per type per request tick (a DataLoader), the area
 * reached through the type's scope path (SCOPE_PATHS, e.g. alliance.area).
 */
export async function directoryRecordOutsideScope(ctx: AppContext, record: unknown): Promise<boolean> {
  if (ctx.viewer.kind !== 'account' || ctx.viewer.scopePaths === null) return false;
  const entity = (record as { constructor?: { name?: string } } | null)?.constructor as (new () => object) & { name: string } | undefined;
  const id = (record as { id?: unknown } | null)?.id;
  if (!entity || typeof id !== 'number') return false;
  const relation = SCOPE_PATHS[entity.name];
  if (!relation || RECORD_TYPES.has(entity.name)) return false;
  const path = await ctx.loaders
    .get<number, string | null>(`directoryAreaPath:${entity.name}`, async (ids) => {
      const rows = (await ctx.em.find(entity as never, { id: { $in: [...ids] } } as never, { populate: [relation] as never })) as Record<string, unknown>[];
      const pathOf = (row: Record<string, unknown>) => {
        const area = relation.split('.').reduce<unknown>((value, hop) => (value as Record<string, unknown> | null)?.[hop] ?? null, row);
        return (area as { path?: string } | null)?.path ?? null;
      };
      const byId = new Map(rows.map((row) => [row.id as number, pathOf(row)]));
      return ids.map((key) => byId.get(key) ?? null);
    })
    .load(id);
  return path === null || !pathInScope(ctx.viewer, path);
}
