import { ChangeSetType, FlushMode, helper, type EntityManager, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/core';
import type { Options } from '@mikro-orm/postgresql';

type FilterDef = NonNullable<Options['filters']>[string];
import { forbidden } from '../../common/errors';
import type { Viewer } from '../../context/context';
import { Role } from './role';
import { CONSEQUENCE_TYPES, GLOBAL_TYPES, RECORD_TYPES, SCOPE_PATHS, SELF_SERVICE_TYPES, nestedAreaPathCondition, readScopeCondition, writeScopeCondition, type Addressee } from './scope.rules';

/**
 * What the per-request EntityManager knows about its viewer, as MikroORM filter parameters
 * (they travel with every fork, including the one a transaction runs in).
 * `paths`: the viewer's subtrees, null for everywhere. `enforceWrites`: false only for callers
 * who cannot reach a data-changing mutation anyway (anonymous sign-in, system tools).
 */
export interface ScopeParams {
  paths: string[] | null;
  enforceWrites: boolean;
  /** A unit liaison's unit: whistles addressed to it, and requests dispatched to it, are readable wherever they are. */
  addressedUnit?: number | null;
  /** A party member's own person: requests dispatched to them are readable (and theirs to work) wherever they are. */
  addressedPerson?: number | null;
}

export const SCOPE_FILTER = 'scope';

/** Reading: the records of RECORD_TYPES outside the viewer's subtrees do not exist for them. */
export const scopeFilter: FilterDef = {
  name: SCOPE_FILTER,
  entity: [...RECORD_TYPES],
  default: true,
  // An EntityManager that was never given a viewer is the system's own (migrations, seeding, CLI).
  args: false,
  cond: (args: Partial<ScopeParams> | undefined, _type: unknown, _em: unknown, _options: unknown, entityName: unknown) => {
    if (!args?.paths) return {};
    return readScopeCondition(nameOf(entityName), args.paths, addresseeOf(args));
  },
};

/** The scope a viewer's requests run under. Anonymous callers read nothing scoped and cannot reach a write. */
export function scopeParamsOf(viewer: Viewer): ScopeParams {
  if (viewer.kind === 'anonymous') return { paths: [], enforceWrites: false };
  const addressedUnit = viewer.kind === 'account' && viewer.role === Role.UNIT_LIAISON ? viewer.unitId : null;
  const addressedPerson = viewer.kind === 'account' && viewer.role === Role.PARTY_MEMBER ? viewer.personId : null;
  return { paths: viewer.scopePaths, enforceWrites: true, addressedUnit, addressedPerson };
}

function addresseeOf(params: Partial<ScopeParams>): Addressee {
  return { unit: params.addressedUnit ?? null, person: params.addressedPerson ?? null };
}

/** Sets the viewer's scope on a request's EntityManager. */
export function applyScope(em: EntityManager, params: ScopeParams): void {
  em.setFilterParams(SCOPE_FILTER, params as unknown as Record<string, unknown>);
}

function nameOf(entityName: unknown): string {
  if (typeof entityName === 'string') return entityName;
  return (entityName as { name: string }).name;
}

/**
 * Writing: before anything is sent to the database, every row a flush would create, change or
 * delete is checked against the viewer's subtrees (assertMayWrite). One refusal aborts the whole
 * flush, and with it the mutation's transaction: nothing is half-written.
 */
export class ScopeWriteGuard implements EventSubscriber {
  async onFlush({ em, uow }: FlushEventArgs): Promise<void> {
    if (writeScopeOf(em) === null) return;
    const created = new Set<object>();
    for (const changeSet of uow.getChangeSets()) if (changeSet.type === ChangeSetType.CREATE) created.add(changeSet.entity);
    for (const changeSet of uow.getChangeSets()) {
      const creating = changeSet.type === ChangeSetType.CREATE;
      const moving = creating || (changeSet.type === ChangeSetType.UPDATE && movesArea(changeSet.meta.className, changeSet.payload));
      await assertMayWrite(em, changeSet.entity, { creating, moving, created });
    }
  }
}

/** What a write does to a row, as far as its scope goes. */
export interface PendingWrite {
  /** The row is not in the database yet (nothing stored to check). */
  creating: boolean;
  /** The write sets the area the row belongs to (a new row, or one moved). */
  moving: boolean;
  /** Rows created in the same flush: a parent among them is checked as its own row. */
  created?: ReadonlySet<object>;
}

/**
 * May the viewer of `em` write `entity` where it is and where it is going: its stored row (unless
 * new) must lie in their scope, and so must the area it will belong to when it is new or moved.
 * FORBIDDEN otherwise. The flush runs it on every row it writes (ScopeWriteGuard); a service runs
 * it itself, before the flush, when what it answers next must be answered only to a viewer who may
 * write the row (updatePerson's ID number). `write` defaults to what a flush now would write.
 */
export async function assertMayWrite(em: EntityManager, entity: object, write?: PendingWrite): Promise<void> {
  const scope = writeScopeOf(em);
  if (scope === null) return;
  const name = em.getMetadata().get(entity.constructor.name).className;
  if (CONSEQUENCE_TYPES.has(name)) return;
  if (SCOPE_PATHS[name] === undefined) {
    if (SELF_SERVICE_TYPES.has(name)) return;
    if (GLOBAL_TYPES.has(name)) throw forbidden(`Only an administrator bound to no area may change ${name} records`);
    throw new Error(`no scope rule for ${name}: classify it in scope.rules.ts`);
  }
  const { creating, moving, created = new Set<object>() } = write ?? pendingWrite(em, name, entity);
  const id = (entity as { id?: number }).id;
  if (!creating && id !== undefined) await assertRowInScope(em, name, id, scope.paths, scope.addressee);
  if (moving) await assertTargetInScope(em, name, entity as Record<string, unknown>, scope.paths, created);
}

/** The viewer's subtrees when their writes are checked; null when they are not (no viewer, or bound to no area). */
function writeScopeOf(em: EntityManager): { paths: string[]; addressee: Addressee } | null {
  const params = em.getFilterParams<Partial<ScopeParams>>(SCOPE_FILTER);
  if (!params?.enforceWrites || !params.paths) return null;
  return { paths: params.paths, addressee: addresseeOf(params) };
}

/** What a flush now would write of `entity`: its payload computed as MikroORM's change sets compute it. */
function pendingWrite(em: EntityManager, name: string, entity: object): PendingWrite {
  const wrapped = helper(entity);
  const original = wrapped.__originalEntityData;
  if (!original) return { creating: true, moving: true };
  if (!wrapped.__initialized) return { creating: false, moving: false };
  const comparator = em.getComparator();
  const payload = comparator.diffEntities(name, original, comparator.prepareEntity(entity)) as Record<string, unknown>;
  return { creating: false, moving: movesArea(name, payload) };
}

/** Whether an update changes the first relation on the record's scope path (or an area's path). */
function movesArea(name: string, payload: Record<string, unknown>): boolean {
  const chain = SCOPE_PATHS[name];
  const first = chain ? chain.split('.')[0] : 'path';
  return Object.prototype.hasOwnProperty.call(payload, first);
}

async function assertRowInScope(em: EntityManager, name: string, id: number, paths: string[], addressee: Addressee): Promise<void> {
  const count = await em.count(name, { $and: [{ id }, writeScopeCondition(name, paths, addressee)] }, { filters: false, flushMode: FlushMode.COMMIT });
  if (count === 0) throw forbidden(`This ${name} is outside the areas you may change`);
}

/**
 * Where a new (or moved) row will belong. For an area, its own path (set before the insert);
 * otherwise the first relation on its scope path must lead somewhere in
 * scope by the rest of the path. A parent created in the same flush is checked as its own row.
 */
async function assertTargetInScope(em: EntityManager, name: string, entity: Record<string, unknown>, paths: string[], created: ReadonlySet<object>): Promise<void> {
  const chain = SCOPE_PATHS[name];
  if (chain === '') {
    const path = entity.path as string | undefined;
    if (!path || !paths.some((root) => path.startsWith(root))) throw forbidden('That area is outside the areas you may change');
    return;
  }
  const [first, ...rest] = chain.split('.');
  const target = entity[first] as { id?: number; constructor: { name: string } } | null | undefined;
  if (!target) throw forbidden(`A ${name} that belongs to no area may only be changed by an administrator bound to no area`);
  if (created.has(target)) return;
  const meta = em.getMetadata().find(name)!;
  const targetName = meta.properties[first as keyof typeof meta.properties].type;
  const targetChain = rest.join('.');
  const where = nestedAreaPathCondition(targetChain, paths);
  const count = await em.count(targetName, { $and: [{ id: target.id }, where] }, { filters: false, flushMode: FlushMode.COMMIT });
  if (count === 0) throw forbidden(`That ${name} would belong to an area outside the areas you may change`);
}
