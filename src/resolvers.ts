import {
  AreaFieldsResolver,
  BuildingFieldsResolver,
  CommunityFieldsResolver,
  DistrictFieldsResolver,
  GridFieldsResolver,
  StreetFieldsResolver,
} from './modules/area/area-fields.resolver';
import { AreaResolver } from './modules/area/area.resolver';
import { NodeResolver } from './modules/node/node.resolver';

/** Every resolver class; the schema is built from this list. */
export const RESOLVERS = [
  NodeResolver,
  AreaResolver,
  AreaFieldsResolver,
  DistrictFieldsResolver,
  StreetFieldsResolver,
  CommunityFieldsResolver,
  GridFieldsResolver,
  BuildingFieldsResolver,
] as const;
