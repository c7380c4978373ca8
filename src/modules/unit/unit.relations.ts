import type { Relation } from '../../context/loaders';
import { Unit } from './unit.entity';

/** Units sitting inside an area's subtree, keyed by the area's path. */
export const unitsWithin: Relation<Unit, string> = { name: 'unitsWithin', entity: Unit, whereFor: (path) => ({ area: { path: { $like: `${path}%` } } }) };
