import { Arg, Args, Ctx, FieldResolver, Float, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, ConnectionType } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { Area, Community } from '../area/area.entity';
import { RequestCategory } from '../category/category.entity';
import { Unit } from '../unit/unit.entity';
import {
  AcceptSuggestionInput, CancelProjectInput, LivelihoodProjectListArgs, ProjectStepInput, RecordAcceptanceInput, ReportProgressInput,
  UpdateLivelihoodProjectInput,
} from './livelihood.inputs';
import { PROJECT_ORDER, livelihoodService } from './livelihood.service';
import { COST_CAP, LivelihoodProject, ProjectEvent, ProjectFunding, ProjectTemplate } from './project.entity';
import { EVENT_ORDER, MAX_FUNDING_SOURCES, categoryByCodeLoader, eventsOfProject, fundingOfProject, projectsOfCommunity } from './project.relations';
import { CreateProjectTemplateInput, ProjectTemplateListArgs, UpdateProjectTemplateInput } from './template.inputs';
import { templateService } from './template.service';

export const ProjectTemplateConnection = ConnectionType(ProjectTemplate, 'ProjectTemplate');
export const LivelihoodProjectConnection = ConnectionType(LivelihoodProject, 'LivelihoodProject');
export const ProjectEventConnection = ConnectionType(ProjectEvent, 'ProjectEvent');

@Resolver(() => ProjectTemplate)
export class ProjectTemplateResolver {
  @Query(() => ProjectTemplateConnection, { description: 'The project template catalogue, by code.' })
  projectTemplates(@Args() args: ProjectTemplateListArgs, @Ctx() ctx: AppContext) {
    return templateService.list(ctx, args);
  }

  @Mutation(() => ProjectTemplate, { description: 'Adds a template; its cost stays within the Shenzhen cap of its kind and its needs within its cost.' })
  createProjectTemplate(@Arg('input') input: CreateProjectTemplateInput, @Ctx() ctx: AppContext) {
    return templateService.create(ctx, input);
  }

  @Mutation(() => ProjectTemplate, { description: 'Changes the fields given, checked together with the rest.' })
  updateProjectTemplate(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateProjectTemplateInput, @Ctx() ctx: AppContext) {
    return templateService.update(ctx, id, input);
  }

  @Mutation(() => ProjectTemplate, { description: 'Retires a template: no longer suggested; projects made from it keep it.' })
  retireProjectTemplate(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return templateService.retire(ctx, id);
  }

  @FieldResolver(() => Float, { description: 'The most a project of this kind may cost (Shenzhen: 500,000 yuan for SERVICE and GOODS, 1,000,000 for WORKS).' })
  costCap(@Root() template: ProjectTemplate) {
    return COST_CAP[template.kind];
  }

  @FieldResolver(() => [RequestCategory], { description: 'The categories its codes name.' })
  async categories(@Root() template: ProjectTemplate, @Ctx() ctx: AppContext) {
    const found = await categoryByCodeLoader(ctx).loadMany(template.categoryCodes);
    return found.filter((category): category is RequestCategory => !!category && !(category instanceof Error));
  }
}

@Resolver(() => LivelihoodProject)
export class LivelihoodProjectResolver {
  @Query(() => LivelihoodProjectConnection, { description: '民生项目, newest first.' })
  livelihoodProjects(@Args() args: LivelihoodProjectListArgs, @Ctx() ctx: AppContext) {
    return livelihoodService.list(ctx, args);
  }

  @Mutation(() => LivelihoodProject, { description: 'Turns a suggestion into a PROPOSED project, keeping the suggestion\'s numbers (the ones shown: CONFLICT when the data changed since) and explanation with it.' })
  acceptSuggestion(@Arg('input') input: AcceptSuggestionInput, @Ctx() ctx: AppContext) {
    return livelihoodService.acceptSuggestion(ctx, input);
  }

  @Mutation(() => LivelihoodProject, { description: 'Changes a PROPOSED project.' })
  updateLivelihoodProject(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateLivelihoodProjectInput, @Ctx() ctx: AppContext) {
    return livelihoodService.update(ctx, id, input);
  }

  @Mutation(() => LivelihoodProject, { description: 'PROPOSED → APPROVED, by the street or district above the project\'s community (its street\'s staff, a district administrator bound to its street or district or to nothing); the community\'s own staff get FORBIDDEN.' })
  approveLivelihoodProject(@Arg('id', () => ID) id: string, @Arg('input', () => ProjectStepInput, { nullable: true }) input: ProjectStepInput | null, @Ctx() ctx: AppContext) {
    return livelihoodService.approve(ctx, id, input ?? {});
  }

  @Mutation(() => LivelihoodProject, { description: 'APPROVED → IN_PROGRESS.' })
  startLivelihoodProject(@Arg('id', () => ID) id: string, @Arg('input', () => ProjectStepInput, { nullable: true }) input: ProjectStepInput | null, @Ctx() ctx: AppContext) {
    return livelihoodService.start(ctx, id, input ?? {});
  }

  @Mutation(() => LivelihoodProject, { description: 'Progress of an IN_PROGRESS project (percent, never lower than before).' })
  reportProjectProgress(@Arg('id', () => ID) id: string, @Arg('input') input: ReportProgressInput, @Ctx() ctx: AppContext) {
    return livelihoodService.reportProgress(ctx, id, input);
  }

  @Mutation(() => LivelihoodProject, { description: '验收: IN_PROGRESS → ACCEPTED with the acceptance record, by the street or district above the project\'s community, as approveLivelihoodProject; the community\'s own staff get FORBIDDEN.' })
  recordProjectAcceptance(@Arg('id', () => ID) id: string, @Arg('input') input: RecordAcceptanceInput, @Ctx() ctx: AppContext) {
    return livelihoodService.recordAcceptance(ctx, id, input);
  }

  @Mutation(() => LivelihoodProject, { description: 'PROPOSED, APPROVED or IN_PROGRESS → CANCELLED, with the reason.' })
  cancelLivelihoodProject(@Arg('id', () => ID) id: string, @Arg('input') input: CancelProjectInput, @Ctx() ctx: AppContext) {
    return livelihoodService.cancel(ctx, id, input);
  }

  @FieldResolver(() => Community)
  community(@Root() project: LivelihoodProject, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(project.community.id);
  }

  @FieldResolver(() => ProjectTemplate, { nullable: true })
  template(@Root() project: LivelihoodProject, @Ctx() ctx: AppContext) {
    return project.template ? ctx.loaders.byId(ProjectTemplate).load(project.template.id) : null;
  }

  @FieldResolver(() => [ProjectFunding], { description: 'Where the budget comes from; the amounts add up to it.' })
  fundingSources(@Root() project: LivelihoodProject, @Ctx() ctx: AppContext) {
    return ctx.loaders.firstPage(fundingOfProject, EVENT_ORDER, MAX_FUNDING_SOURCES).load(project.id);
  }

  @FieldResolver(() => ProjectEventConnection, { description: 'The ledger (台账), oldest first.' })
  events(@Root() project: LivelihoodProject, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(eventsOfProject, project.id, args, EVENT_ORDER);
  }

  @FieldResolver(() => Float, { nullable: true, description: 'actualCost − budget once accepted (negative: under budget).' })
  costVariance(@Root() project: LivelihoodProject) {
    return project.actualCost == null ? null : Math.round((project.actualCost - project.budget) * 100) / 100;
  }
}

@Resolver(() => ProjectFunding)
export class ProjectFundingResolver {
  @FieldResolver(() => Unit, { nullable: true })
  unit(@Root() funding: ProjectFunding, @Ctx() ctx: AppContext) {
    return funding.unit ? ctx.loaders.byId(Unit).load(funding.unit.id) : null;
  }
}

@Resolver(() => Community)
export class CommunityProjectsResolver {
  @FieldResolver(() => LivelihoodProjectConnection, { description: '民生项目 of this community, newest first.' })
  livelihoodProjects(@Root() community: Community, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(projectsOfCommunity, community.id, args, PROJECT_ORDER);
  }
}
