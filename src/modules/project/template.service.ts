import type { FilterQuery } from '@mikro-orm/postgresql';
import { conflict } from '../../common/errors';
import { containsPattern } from '../../common/filters';
import { loadForUpdate } from '../../common/lookup';
import { OrderDirection, paginate, type ConnectionResult, type Ordering } from '../../common/pagination';
import { inTransaction, refuseNulls, sameConflictWhenRaced } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { BeneficiaryRule, ProjectTemplate, type ResourceNeed } from './project.entity';
import { DEFAULT_EXPECTED_REDUCTION, assertCategoryCodes, assertNeeds, assertWithinCap } from './project.rules';
import type { CreateProjectTemplateInput, ProjectTemplateListArgs, ResourceNeedInput, UpdateProjectTemplateInput } from './template.inputs';

export const TEMPLATE_ORDER: Ordering = { property: 'code', direction: OrderDirection.ASC };

const needsOf = (needs: readonly ResourceNeedInput[] | null | undefined): ResourceNeed[] =>
  (needs ?? []).map((need) => ({ kind: need.kind, quantity: need.quantity, unitValue: need.unitValue, note: need.note ?? null }));

/** Project templates (民生项目模板): data, edited through the API, each change checked whole. */
export const templateService = {
  list(ctx: AppContext, args: ProjectTemplateListArgs): Promise<ConnectionResult<ProjectTemplate>> {
    const filter = args.filter ?? {};
    const where: FilterQuery<ProjectTemplate>[] = [];
    if (filter.active != null) where.push({ active: filter.active });
    if (filter.kinds?.length) where.push({ kind: { $in: filter.kinds } });
    // JSON containment: the template's groups include this one.
    if (filter.targetGroup) where.push({ targetGroups: { $contains: [filter.targetGroup] } } as FilterQuery<ProjectTemplate>);
    if (filter.search?.trim()) where.push({ $or: [{ name: { $ilike: containsPattern(filter.search) } }, { code: { $ilike: containsPattern(filter.search) } }] });
    return paginate(ctx.em, ProjectTemplate, { $and: where }, TEMPLATE_ORDER, args);
  },

  async create(ctx: AppContext, input: CreateProjectTemplateInput): Promise<ProjectTemplate> {
    assertWithinCap(input.kind, input.cost, 'input.cost');
    const resourceNeeds = needsOf(input.resourceNeeds);
    assertNeeds(resourceNeeds, input.cost);
    const codeTaken = () => conflict(`a template with code "${input.code}" already exists`, 'input.code');
    // One racing past the check hits the code's unique key: the same answer (sameConflictWhenRaced).
    return sameConflictWhenRaced(inTransaction(ctx, async (em) => {
      const categoryCodes = await assertCategoryCodes(em, input.categoryCodes);
      if (await em.count(ProjectTemplate, { code: input.code })) throw codeTaken();
      const template = em.create(ProjectTemplate, {
        code: input.code,
        name: input.name,
        description: input.description ?? null,
        kind: input.kind,
        cost: input.cost,
        categoryCodes,
        targetGroups: [...new Set(input.targetGroups)],
        resourceNeeds,
        expectedReduction: input.expectedReduction ?? DEFAULT_EXPECTED_REDUCTION,
        beneficiaryRule: input.beneficiaryRule ?? BeneficiaryRule.PER_ADDRESSED_CASE,
        beneficiaryFactor: input.beneficiaryFactor ?? 1,
      });
      await em.flush();
      return template;
    }), 'input.code', codeTaken);
  },

  /** Changes the fields given; kind, cost and needs are checked together as they will stand. */
  async update(ctx: AppContext, id: string, input: UpdateProjectTemplateInput): Promise<ProjectTemplate> {
    refuseNulls(input, ['kind', 'cost', 'resourceNeeds', 'categoryCodes', 'name', 'targetGroups', 'expectedReduction', 'beneficiaryRule', 'beneficiaryFactor', 'active']);
    return inTransaction(ctx, async (em) => {
      const template = await loadForUpdate(em, ProjectTemplate, id, 'id');
      const kind = input.kind ?? template.kind;
      const cost = input.cost ?? template.cost;
      const resourceNeeds = input.resourceNeeds != null ? needsOf(input.resourceNeeds) : template.resourceNeeds;
      assertWithinCap(kind, cost, input.cost != null ? 'input.cost' : 'input.kind');
      assertNeeds(resourceNeeds, cost, input.resourceNeeds != null ? 'input.resourceNeeds' : 'input.cost');
      if (input.categoryCodes != null) template.categoryCodes = await assertCategoryCodes(em, input.categoryCodes);
      if (input.name != null) template.name = input.name;
      if (input.description !== undefined) template.description = input.description;
      if (input.targetGroups != null) template.targetGroups = [...new Set(input.targetGroups)];
      if (input.expectedReduction != null) template.expectedReduction = input.expectedReduction;
      if (input.beneficiaryRule != null) template.beneficiaryRule = input.beneficiaryRule;
      if (input.beneficiaryFactor != null) template.beneficiaryFactor = input.beneficiaryFactor;
      if (input.active != null) template.active = input.active;
      template.kind = kind;
      template.cost = cost;
      template.resourceNeeds = resourceNeeds;
      await em.flush();
      return template;
    });
  },

  /** Takes a template out of suggestions; projects made from it keep it. */
  async retire(ctx: AppContext, id: string): Promise<ProjectTemplate> {
    return inTransaction(ctx, async (em) => {
      const template = await loadForUpdate(em, ProjectTemplate, id, 'id');
      template.active = false;
      await em.flush();
      return template;
    });
  },
};
