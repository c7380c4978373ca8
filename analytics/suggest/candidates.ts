import { beneficiariesOf, benefitOf } from './benefit';
import { allocate, type Allocation } from './resources';
import { GROUP_NAMES, candidateKey, type ActiveProjectSpec, type CommunitySpec, type CoveredCell, type DemandCell, type GroupName, type ResourceSpec, type SuggestionInput, type TemplateSpec } from './types';

/** A template in a community with demand to address: what the selection chooses among. */
export interface Candidate {
  key: string;
  template: TemplateSpec;
  community: CommunitySpec;
  /** Position of the community in the input (the selection's community index). */
  communityIndex: number;
  cells: CoveredCell[];
  benefit: number;
  benefitFormula: string;
  rho: number;
  beneficiaries: number;
  beneficiaryFormula: string;
  /** Bitmask over GROUP_NAMES of the groups it targets. */
  groupMask: number;
  allowed: boolean;
  /** The project of this template already under way in this community: the pair is not chosen again. */
  activeProject: ActiveProjectSpec | null;
  /** The best matching of the community's resources to this project alone. */
  standalone: Allocation;
  /** Gross cost minus what the standalone matching saves, in cents. */
  standaloneNet: number;
}

export const groupBit = (group: GroupName) => 1 << GROUP_NAMES.indexOf(group);
export const groupsOf = (mask: number) => GROUP_NAMES.filter((group) => mask & groupBit(group));
export const cents = (value: number) => Math.round(value * 100) / 100;

/** Net cost after a matched value, never below zero (templates keep their needs within their cost). */
export function netOf(template: TemplateSpec, matched: number): number {
  return cents(Math.max(0, template.cost - Math.min(matched, template.cost)));
}

/**
 * Every template × community pair whose community has demand in the template's categories.
 * Pairs without any covered demand are counted, not listed (they have no benefit to weigh).
 */
export function buildCandidates(input: SuggestionInput, beta: number, rhoOverride: number | null): { candidates: Candidate[]; withoutDemand: number } {
  const cellsByCommunity = new Map<number, Map<number, DemandCell>>();
  for (const cell of input.cells) {
    if (!(cell.volume > 0)) continue;
    let byCategory = cellsByCommunity.get(cell.communityId);
    if (!byCategory) cellsByCommunity.set(cell.communityId, (byCategory = new Map()));
    byCategory.set(cell.categoryId, cell);
  }
  const resourcesByCommunity = resourcesPerCommunity(input.resources);
  const allowed = input.constraints.allowedTemplateIds ? new Set(input.constraints.allowedTemplateIds) : null;
  const active = new Map((input.activeProjects ?? []).map((p) => [candidateKey(p.templateId, p.communityId), p]));
  const candidates: Candidate[] = [];
  let withoutDemand = 0;
  input.communities.forEach((community, communityIndex) => {
    const byCategory = cellsByCommunity.get(community.id);
    for (const template of input.templates) {
      const cells = template.categoryIds.flatMap((id) => {
        const cell = byCategory?.get(id);
        return cell ? [cell] : [];
      });
      if (cells.length === 0) {
        withoutDemand += 1;
        continue;
      }
      const rho = rhoOverride ?? template.rho;
      const benefit = benefitOf(cells, rho, beta);
      const beneficiaries = beneficiariesOf(template, benefit.cells, rho);
      const key = candidateKey(template.id, community.id);
      const standalone = allocate([{ key, template }], resourcesByCommunity.get(community.id) ?? []);
      candidates.push({
        key,
        template,
        community,
        communityIndex,
        cells: benefit.cells,
        benefit: benefit.benefit,
        benefitFormula: benefit.formula,
        rho,
        beneficiaries: beneficiaries.beneficiaries,
        beneficiaryFormula: beneficiaries.formula,
        groupMask: template.targetGroups.reduce((mask, group) => mask | groupBit(group), 0),
        allowed: !allowed || allowed.has(template.id),
        activeProject: active.get(key) ?? null,
        standalone,
        standaloneNet: netOf(template, standalone.value.get(key) ?? 0),
      });
    }
  });
  return { candidates, withoutDemand };
}

export function resourcesPerCommunity(resources: readonly ResourceSpec[]): Map<number, ResourceSpec[]> {
  const byCommunity = new Map<number, ResourceSpec[]>();
  for (const resource of resources) {
    const list = byCommunity.get(resource.communityId);
    if (list) list.push(resource);
    else byCommunity.set(resource.communityId, [resource]);
  }
  return byCommunity;
}
