import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { GraphQLJSONObject, NonNegativeIntResolver } from 'graphql-scalars';
import { Field, Float, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';

/** 区 / 街道 / 社区 / 网格 / 楼栋, top to bottom. */
export enum AreaLevel {
  DISTRICT = 'DISTRICT',
  STREET = 'STREET',
  COMMUNITY = 'COMMUNITY',
  GRID = 'GRID',
  BUILDING = 'BUILDING',
}
registerEnumType(AreaLevel, {
  name: 'AreaLevel',
  description: 'Level in the area tree: 区 → 街道 → 社区 → 网格 → 楼栋.',
  valuesConfig: {
    DISTRICT: { description: '区: a district, the top of the tree.' },
    STREET: { description: '街道: a street (sub-district) in a district.' },
    COMMUNITY: { description: '社区: a residents\' community in a street.' },
    GRID: { description: '网格: a grid in a community.' },
    BUILDING: { description: '楼栋: a residential building in a grid.' },
  },
});

/** The level each level's parent must have; one place for the tree's shape. */
export const PARENT_LEVEL: Record<AreaLevel, AreaLevel | null> = {
  [AreaLevel.DISTRICT]: null,
  [AreaLevel.STREET]: AreaLevel.DISTRICT,
  [AreaLevel.COMMUNITY]: AreaLevel.STREET,
  [AreaLevel.GRID]: AreaLevel.COMMUNITY,
  [AreaLevel.BUILDING]: AreaLevel.GRID,
};

/** GraphQL type name of each level (also the entity class name). */
export const AREA_TYPE_NAME: Record<AreaLevel, string> = {
  [AreaLevel.DISTRICT]: 'District',
  [AreaLevel.STREET]: 'Street',
  [AreaLevel.COMMUNITY]: 'Community',
  [AreaLevel.GRID]: 'Grid',
  [AreaLevel.BUILDING]: 'Building',
};

/**
 * One table for the whole area tree (single-table inheritance on `level`).
 * `path` is the materialised chain of ids from the district down to this area,
 * e.g. `/1/4/17/`, so "everything inside X" is one indexed prefix match; later
 * issues use it for scopes.
 */
@Entity({ tableName: 'area', abstract: true, discriminatorColumn: 'level' })
@InterfaceType('Area', {
  implements: NodeEntity,
  description: 'Any place in the area tree.',
  resolveType: (value: Area) => AREA_TYPE_NAME[value.level],
})
@Index({ name: 'area_path_pattern_idx', expression: 'create index "area_path_pattern_idx" on "area" ("path" text_pattern_ops)' })
export abstract class Area extends NodeEntity {
  @Field(() => AreaLevel)
  @Enum({ items: () => AreaLevel })
  level!: AreaLevel;

  override get graphqlTypeName(): string {
    return AREA_TYPE_NAME[this.level];
  }

  @Field({ description: 'Official Chinese name, e.g. 新华街道.' })
  @Property({ type: 'string', length: 100 })
  @Index()
  name!: string;

  @Field({ description: 'Unique administrative code (12 digits for communities, longer below).' })
  @Property({ type: 'string', length: 32, unique: true })
  code!: string;

  @ManyToOne(() => Area, { nullable: true, deleteRule: 'restrict' })
  @Index()
  parent?: Rel<Area> | null;

  @Property({ type: 'string', length: 255 })
  path!: string;

  @Field(() => Float, { nullable: true, description: 'WGS-84 longitude of the centre.' })
  @Property({ type: 'double', nullable: true })
  longitude?: number | null;

  @Field(() => Float, { nullable: true, description: 'WGS-84 latitude of the centre.' })
  @Property({ type: 'double', nullable: true })
  latitude?: number | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'GeoJSON Polygon or MultiPolygon of the boundary.' })
  @Property({ type: 'json', nullable: true })
  boundary?: Record<string, unknown> | null;
}

@ObjectType({ implements: [NodeEntity, Area], description: '区: the top of the tree.' })
@Entity({ discriminatorValue: AreaLevel.DISTRICT })
export class District extends Area {}

@ObjectType({ implements: [NodeEntity, Area], description: '街道: a street (sub-district) office area.' })
@Entity({ discriminatorValue: AreaLevel.STREET })
export class Street extends Area {}

/** Population and households are kept for communities and grids only. */
@ObjectType({ implements: [NodeEntity, Area], description: '社区: a residents\' community.' })
@Entity({ discriminatorValue: AreaLevel.COMMUNITY })
export class Community extends Area {
  @Field(() => NonNegativeIntResolver, { nullable: true, description: 'Registered population.' })
  @Property({ type: 'integer', nullable: true })
  population?: number | null;

  @Field(() => NonNegativeIntResolver, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  households?: number | null;
}

@ObjectType({ implements: [NodeEntity, Area], description: '网格: a grid, the unit of grid management.' })
@Entity({ discriminatorValue: AreaLevel.GRID })
export class Grid extends Area {
  @Field(() => NonNegativeIntResolver, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  population?: number | null;

  @Field(() => NonNegativeIntResolver, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  households?: number | null;
}

@ObjectType({ implements: [NodeEntity, Area], description: '楼栋: a residential building.' })
@Entity({ discriminatorValue: AreaLevel.BUILDING })
export class Building extends Area {
  @Field(() => NonNegativeIntResolver, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  households?: number | null;

  @Field(() => NonNegativeIntResolver, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  floors?: number | null;
}

export const AREA_CLASS = {
  [AreaLevel.DISTRICT]: District,
  [AreaLevel.STREET]: Street,
  [AreaLevel.COMMUNITY]: Community,
  [AreaLevel.GRID]: Grid,
  [AreaLevel.BUILDING]: Building,
} as const;
