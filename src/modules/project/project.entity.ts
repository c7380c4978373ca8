import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { DateTimeISOResolver, GraphQLJSONObject, LocalDateResolver } from 'graphql-scalars';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { NodeEntity } from '../../common/node.entity';
import { ResidentGroup } from '../../common/resident-group';
import type { Community } from '../area/area.entity';
import { ResourceType, type ListItem } from '../list/list.entity';
import type { Unit } from '../unit/unit.entity';
import { AccountName, FreeText } from '../../common/free-text-field';
import { SmallCellsHidden } from '../../common/disclosure';

/**
 * Livelihood projects (民生项目 / 民生实事): the catalogue of project templates suggestions draw
 * from, and the projects communities decide on, fund, run and accept.
 */

/** Shenzhen's livelihood micro-projects (民生微实事): service and goods projects up to 0.5M yuan, works up to 1M. */
export enum ProjectKind {
  SERVICE = 'SERVICE',
  GOODS = 'GOODS',
  WORKS = 'WORKS',
}
registerEnumType(ProjectKind, {
  name: 'ProjectKind',
  description: '服务类 SERVICE and 货物类 GOODS (at most 500,000 yuan), 工程类 WORKS (at most 1,000,000 yuan).',
  valuesConfig: {
    SERVICE: { description: '服务类: a service project; costs at most 500,000 yuan.' },
    GOODS: { description: '货物类: a goods project; costs at most 500,000 yuan.' },
    WORKS: { description: '工程类: a works (construction) project; costs at most 1,000,000 yuan.' },
  },
});

export const COST_CAP: Readonly<Record<ProjectKind, number>> = {
  [ProjectKind.SERVICE]: 500_000,
  [ProjectKind.GOODS]: 500_000,
  [ProjectKind.WORKS]: 1_000_000,
};

export enum BeneficiaryRule {
  FIXED = 'FIXED',
  PER_ADDRESSED_CASE = 'PER_ADDRESSED_CASE',
  PER_10K_YUAN = 'PER_10K_YUAN',
}
registerEnumType(BeneficiaryRule, {
  name: 'BeneficiaryRule',
  description: 'How a template estimates beneficiaries from `beneficiaryFactor`: FIXED (that many residents), PER_ADDRESSED_CASE (× ρ × covered demand), PER_10K_YUAN (× cost / 10,000).',
  valuesConfig: {
    FIXED: { description: 'beneficiaryFactor residents, whatever the demand or cost.' },
    PER_ADDRESSED_CASE: { description: 'beneficiaryFactor × ρ (expected reduction) × the covered demand volume; the default.' },
    PER_10K_YUAN: { description: 'beneficiaryFactor × the template\'s cost / 10,000 yuan.' },
  },
});

@ObjectType({ description: 'A resource a project can use, and what a matched unit of it saves.' })
export class ResourceNeed {
  @Field(() => ResourceType)
  kind!: ResourceType;

  @Field(() => Float, { description: 'How much it can use: yuan for MONEY, m² for VENUE, hours for STAFF_HOURS and EXPERTISE, pieces for GOODS.' })
  quantity!: number;

  @Field(() => Float, { description: 'Yuan saved per matched unit (1 for MONEY).' })
  unitValue!: number;

  @Field(() => String, { nullable: true })
  @FreeText()
  note?: string | null;
}

/** A kind of livelihood project, with its cost, the demand it addresses and what it needs. */
@ObjectType({ implements: NodeEntity, description: 'A project template (民生项目模板): cost, categories addressed, target groups, resource needs.' })
@Entity({ tableName: 'project_template' })
export class ProjectTemplate extends NodeEntity {
  @Field()
  @Property({ type: 'string', length: 32, unique: true })
  code!: string;

  @Field({ description: 'Chinese name, e.g. 长者食堂.' })
  @Property({ type: 'string', length: 60 })
  name!: string;

  @Field(() => String, { nullable: true })
  @FreeText()
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => ProjectKind)
  @Enum({ items: () => ProjectKind })
  kind!: ProjectKind;

  @Field(() => Float, { description: 'Gross cost in yuan.' })
  @Property({ type: 'double' })
  cost!: number;

  @Field(() => [String], { description: 'Request-category codes addressed; a first-level code covers its children.' })
  @Property({ type: 'json' })
  categoryCodes!: string[];

  @Field(() => [ResidentGroup])
  @Property({ type: 'json' })
  targetGroups!: ResidentGroup[];

  @Field(() => [ResourceNeed])
  @Property({ type: 'json' })
  resourceNeeds!: ResourceNeed[];

  @Field(() => Float, { description: 'ρ: the share of the covered demand the project is expected to address, 0-1.' })
  @Property({ type: 'double' })
  expectedReduction!: number;

  @Field(() => BeneficiaryRule)
  @Enum({ items: () => BeneficiaryRule })
  beneficiaryRule!: BeneficiaryRule;

  @Field(() => Float)
  @Property({ type: 'double' })
  beneficiaryFactor!: number;

  @Field({ description: 'Retired templates stay on old projects but are not suggested.' })
  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @Field(() => Int)
  @Property({ type: 'integer', version: true })
  version!: number;
}

export enum ProjectStatus {
  PROPOSED = 'PROPOSED',
  APPROVED = 'APPROVED',
  IN_PROGRESS = 'IN_PROGRESS',
  ACCEPTED = 'ACCEPTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ProjectStatus, {
  name: 'ProjectStatus',
  description: 'PROPOSED → APPROVED → IN_PROGRESS → ACCEPTED (验收); CANCELLED from any but ACCEPTED.',
  valuesConfig: {
    PROPOSED: { description: 'Proposed by the community (accepted from a suggestion); the only status in which it can be edited.' },
    APPROVED: { description: 'Approved by the street or district above the community.' },
    IN_PROGRESS: { description: 'Started by the community, which reports its progress.' },
    ACCEPTED: { description: '验收: accepted by the street or district; finished, progress 100.' },
    CANCELLED: { description: 'Cancelled before acceptance.' },
  },
});

/** The longest project name the column holds. */
export const PROJECT_NAME_LENGTH = 120;

/** 民生项目: a funded project in one community, from a suggestion or proposed directly. */
@ObjectType({ implements: NodeEntity, description: '民生项目: a livelihood project with budget, funding, progress and acceptance.' })
@Entity({ tableName: 'livelihood_project' })
@Index({ properties: ['status'] })
export class LivelihoodProject extends NodeEntity {
  @Field()
  @FreeText()
  @Property({ type: 'string', length: PROJECT_NAME_LENGTH })
  name!: string;

  @ManyToOne('Community', { deleteRule: 'restrict' })
  @Index()
  community!: Rel<Community>;

  @ManyToOne(() => ProjectTemplate, { nullable: true, deleteRule: 'restrict' })
  @Index()
  template?: Rel<ProjectTemplate> | null;

  @Field(() => ProjectKind)
  @Enum({ items: () => ProjectKind })
  kind!: ProjectKind;

  @Field(() => Float, { description: 'Budget in yuan; the funding sources add up to it.' })
  @Property({ type: 'double' })
  budget!: number;

  @Field(() => [ResidentGroup])
  @Property({ type: 'json' })
  targetGroups!: ResidentGroup[];

  @Field(() => Int)
  @Property({ type: 'integer' })
  expectedBeneficiaries!: number;

  @Field(() => ProjectStatus)
  @Enum({ items: () => ProjectStatus })
  status!: ProjectStatus;

  @Field(() => Int, { description: 'Progress in percent, 0-100; never goes back.' })
  @Property({ type: 'smallint', default: 0 })
  progress: number = 0;

  /** The suggestion it was accepted from (template, community and the query that produced it). */
  @Field(() => String, { nullable: true, description: 'The `suggestionId` it was accepted from, if any.' })
  @Property({ type: 'text', nullable: true })
  suggestionId?: string | null;

  /** The suggestion as it was when accepted: numbers, explanation and the query. */
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The suggestion as accepted: its query, numbers, explanation, the run\'s totals and assumptions. Null for a portal when one of its demand cells holds 1-4 demands (its benefit arithmetic quotes the count); small cells lose their details for portals, analysts and staff reading a project outside their scope.' })
  @FreeText()
  @SmallCellsHidden()
  @Property({ type: 'json', nullable: true })
  suggestion?: Record<string, unknown> | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  approvedAt?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  startedAt?: Date | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Acceptance (验收) day.' })
  @Property({ type: 'date', nullable: true })
  acceptedOn?: string | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  actualBeneficiaries?: number | null;

  @Field(() => Float, { nullable: true, description: 'Actual cost in yuan, recorded at acceptance.' })
  @Property({ type: 'double', nullable: true })
  actualCost?: number | null;

  @Field(() => String, { nullable: true })
  @FreeText()
  @Property({ type: 'text', nullable: true })
  acceptanceNote?: string | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  cancelledAt?: Date | null;

  @Field(() => Int)
  @Property({ type: 'integer', version: true })
  version!: number;
}

export enum FundingSourceKind {
  GOVERNMENT = 'GOVERNMENT',
  UNIT_POOLED = 'UNIT_POOLED',
  UNIT = 'UNIT',
  SOCIAL = 'SOCIAL',
  OTHER = 'OTHER',
}
registerEnumType(FundingSourceKind, {
  name: 'FundingSourceKind',
  description: '财政 GOVERNMENT, 共建单位统筹资金 UNIT_POOLED (pooled from paired units), 单位 UNIT (one unit, named), 社会 SOCIAL (donations, charities), OTHER.',
  valuesConfig: {
    GOVERNMENT: { description: '财政: public funds.' },
    UNIT_POOLED: { description: '共建单位统筹资金: the fund pooled from paired units; names no unit.' },
    UNIT: { description: '单位: one unit\'s contribution (cash or in kind); names its unit.' },
    SOCIAL: { description: '社会: donations, charities.' },
    OTHER: { description: 'Any other source.' },
  },
});

/** One funding source of a project. */
@ObjectType({ implements: NodeEntity, description: 'A funding source of a livelihood project.' })
@Entity({ tableName: 'project_funding' })
export class ProjectFunding extends NodeEntity {
  @ManyToOne(() => LivelihoodProject, { deleteRule: 'cascade' })
  @Index()
  project!: Rel<LivelihoodProject>;

  @Field(() => FundingSourceKind)
  @Enum({ items: () => FundingSourceKind })
  kind!: FundingSourceKind;

  /** The unit, for kind UNIT. */
  @ManyToOne('Unit', { nullable: true, deleteRule: 'restrict' })
  @Index()
  unit?: Rel<Unit> | null;

  @Field(() => Float, { description: 'Yuan.' })
  @Property({ type: 'double' })
  amount!: number;

  @Field(() => String, { nullable: true })
  @FreeText()
  @Property({ type: 'string', length: 200, nullable: true })
  note?: string | null;
}

/**
 * What an accepted project counts on of a co-building unit's RESOURCE list item (the resources its
 * suggestion matched, which its default funding counts as the unit's contribution): taken from what
 * the item has left, like a claim, while the project is not cancelled (usedQuantities), so the same
 * money or hours cannot fund a second project. Not shown on its own: the funding says it.
 */
@Entity({ tableName: 'project_resource' })
export class ProjectResource extends NodeEntity {
  @ManyToOne(() => LivelihoodProject, { deleteRule: 'cascade' })
  @Index()
  project!: Rel<LivelihoodProject>;

  @ManyToOne('ListItem', { deleteRule: 'restrict' })
  @Index()
  resource!: Rel<ListItem>;

  @Property({ type: 'double' })
  quantity!: number;
}

export enum ProjectEventKind {
  PROPOSED = 'PROPOSED',
  UPDATED = 'UPDATED',
  APPROVED = 'APPROVED',
  STARTED = 'STARTED',
  PROGRESS = 'PROGRESS',
  ACCEPTED = 'ACCEPTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ProjectEventKind, {
  name: 'ProjectEventKind',
  valuesConfig: {
    PROPOSED: { description: 'Proposed: accepted from a suggestion of projectSuggestions.' },
    UPDATED: { description: 'Edited while PROPOSED.' },
    APPROVED: { description: 'Approved by the street or district above the community.' },
    STARTED: { description: 'Started by the community (IN_PROGRESS).' },
    PROGRESS: { description: 'Progress reported (it never goes back).' },
    ACCEPTED: { description: '验收: acceptance recorded by the street or district; progress 100.' },
    CANCELLED: { description: 'Cancelled before acceptance.' },
  },
});

/** One step in a project's ledger (台账): who, when, what, and a note. Append-only. */
@ObjectType({ implements: NodeEntity, description: 'A ledger entry of a livelihood project.' })
@Entity({ tableName: 'project_event' })
@Unique({ properties: ['project', 'sequence'] })
export class ProjectEvent extends NodeEntity {
  @ManyToOne(() => LivelihoodProject, { deleteRule: 'cascade' })
  project!: Rel<LivelihoodProject>;

  @Field(() => Int, { description: '1, 2, 3, … per project.' })
  @Property({ type: 'integer' })
  sequence!: number;

  @Field(() => ProjectEventKind)
  @Enum({ items: () => ProjectEventKind })
  kind!: ProjectEventKind;

  @Field(() => ProjectStatus, { nullable: true })
  @Enum({ items: () => ProjectStatus, nullable: true })
  fromStatus?: ProjectStatus | null;

  @Field(() => ProjectStatus)
  @Enum({ items: () => ProjectStatus })
  toStatus!: ProjectStatus;

  @Field(() => Int, { nullable: true, description: 'Progress after the step, for PROGRESS and ACCEPTED.' })
  @Property({ type: 'smallint', nullable: true })
  progress?: number | null;

  @Field({ description: 'Who did it: account:<name>, the name masked (account:z*******) for viewers who may not see personal data.' })
  @AccountName()
  @Property({ type: 'string', length: 80 })
  actor!: string;

  @Field(() => String, { nullable: true })
  @FreeText()
  @Property({ type: 'text', nullable: true })
  note?: string | null;
}

export const PROJECT_ENTITIES = [ProjectTemplate, LivelihoodProject, ProjectFunding, ProjectResource, ProjectEvent];
