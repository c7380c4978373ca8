import type { Relation } from '../../context/loaders';
import { Building, Community, Grid, Street } from './area.entity';

/** The area tree's to-many relations, described once for batched and cursor paging. */
export const streetsOfDistrict: Relation<Street> = { name: 'District.streets', entity: Street, whereFor: (id) => ({ parent: id }) };
export const communitiesOfStreet: Relation<Community> = { name: 'Street.communities', entity: Community, whereFor: (id) => ({ parent: id }) };
export const gridsOfCommunity: Relation<Grid> = { name: 'Community.grids', entity: Grid, whereFor: (id) => ({ parent: id }) };
export const buildingsOfGrid: Relation<Building> = { name: 'Grid.buildings', entity: Building, whereFor: (id) => ({ parent: id }) };

/** Subtree relations, keyed by the ancestor's path. */
export const communitiesWithin: Relation<Community, string> = { name: 'communitiesWithin', entity: Community, whereFor: (path) => ({ path: { $like: `${path}%` } }) };
export const gridsWithin: Relation<Grid, string> = { name: 'gridsWithin', entity: Grid, whereFor: (path) => ({ path: { $like: `${path}%` } }) };
export const buildingsWithin: Relation<Building, string> = { name: 'buildingsWithin', entity: Building, whereFor: (path) => ({ path: { $like: `${path}%` } }) };
