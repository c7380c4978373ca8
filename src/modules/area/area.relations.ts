import { byForeignKey, type Relation } from '../../context/loaders';
import { Building, Community, Grid, Street } from './area.entity';

/** The area tree's to-many relations, described once for batched and cursor paging. */
export const streetsOfDistrict = byForeignKey('District.streets', Street, 'parent');
export const communitiesOfStreet = byForeignKey('Street.communities', Community, 'parent');
export const gridsOfCommunity = byForeignKey('Community.grids', Grid, 'parent');
export const buildingsOfGrid = byForeignKey('Grid.buildings', Building, 'parent');

/** Subtree relations, keyed by the ancestor's path. */
export const communitiesWithin: Relation<Community, string> = { name: 'communitiesWithin', entity: Community, whereFor: (path) => ({ path: { $like: `${path}%` } }) };
export const gridsWithin: Relation<Grid, string> = { name: 'gridsWithin', entity: Grid, whereFor: (path) => ({ path: { $like: `${path}%` } }) };
export const buildingsWithin: Relation<Building, string> = { name: 'buildingsWithin', entity: Building, whereFor: (path) => ({ path: { $like: `${path}%` } }) };
