import { ChangeSetType, FlushMode, type EntityManager, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/core';
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
 * delete is checked against the viewer's subtrees: its current row (changes, deletions) and the
 * area it will belong to (creations, and changes that move it). One refusal aborts the whole
 * flush, and with it the mutation's transaction: nothing is half-written.
 */
export class ScopeWriteGuard implements EventSubscriber {
  async onFlush({ em, uow }: FlushEventArgs): Promise<void> {
    const params = em.getFilterParams<Partial<ScopeParams>>(SCOPE_FILTER);
    if (!params?.enforceWrites) return;
    const paths = params.paths ?? null;
    if (paths === null) return;
    const creating = new Set<object>();
    for (const changeSet of uow.getChangeSets()) if (changeSet.type === ChangeSetType.CREATE) creating.add(changeSet.entity);

    for (const changeSet of uow.getChangeSets()) {
      const name = changeSet.meta.className;
      if (CONSEQUENCE_TYPES.has(name)) continue;
      if (SCOPE_PATHS[name] === undefined) {
        if (SELF_SERVICE_TYPES.has(name)) continue;
        if (GLOBAL_TYPES.has(name)) throw forbidden(`Only an administrator bound to no area may change ${name} records`);
        throw new Error(`no scope rule for ${name}: classify it in scope.rules.ts`);
      }
      const id = (changeSet.entity as { id?: number }).id;
      if (changeSet.type !== ChangeSetType.CREATE && id !== undefined) {
        await assertRowInScope(em, name, id, paths, addresseeOf(params));
      }
      if (changeSet.type === ChangeSetType.CREATE || (changeSet.type === ChangeSetType.UPDATE && movesArea(name, changeSet.payload))) {
        await assertTargetInScope(em, name, changeSet.entity as Record<string, unknown>, paths, creating);
      }
    }
  }
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
async function assertTargetInScope(em: EntityManager, name: string, entity: Record<string, unknown>, paths: string[], creating: Set<object>): Promise<void> {
  const chain = SCOPE_PATHS[name];
  if (chain === '') {
    const path = entity.path as string | undefined;
    if (!path || !paths.some((root) => path.startsWith(root))) throw forbidden('That area is outside the areas you may change');
    return;
  }
  const [first, ...rest] = chain.split('.');
  const target = entity[first] as { id?: number; constructor: { name: string } } | null | undefined;
  if (!target) throw forbidden(`A ${name} that belongs to no area may only be changed by an administrator bound to no area`);
  if (creating.has(target)) return;
  const meta = em.getMetadata().find(name)!;
  const targetName = meta.properties[first as keyof typeof meta.properties].type;
  const targetChain = rest.join('.');
  const where = nestedAreaPathCondition(targetChain, paths);
  const count = await em.count(targetName, { $and: [{ id: target.id }, where] }, { filters: false, flushMode: FlushMode.COMMIT });
  if (count === 0) throw forbidden(`That ${name} would belong to an area outside the areas you may change`);
}
