import { maxValueTransport, type TransportArc } from '../optimize/transport';
import type { ResourceMatchOut, ResourceSpec, TemplateSpec } from './types';

/**
 * Matching co-building units' resources to projects' needs (资源对接), as a maximum-value
 * transportation problem (see optimize/transport.ts):
 * - a resource serves a need of the same kind, and only projects addressing its earmarked
 *   first-level category when it has one (doctors' hours go to health projects);
 * - each matched unit saves the need's unit value, but never more than the resource's own
 *   declared value per unit (a conservative saving: what the donor says it is worth);
 * - a resource is shared out once among the projects matched together, never counted twice.
 */

export interface ProjectToMatch {
  key: string;
  template: TemplateSpec;
}

export interface Allocation {
  matches: Map<string, ResourceMatchOut[]>;
  /** Matched value per project key (sum of its matches, in cents). */
  value: Map<string, number>;
  total: number;
}

const cents = (value: number) => Math.round(value * 100) / 100;

/**
 * Yuan saved per matched unit, as shown: to the millionth of a yuan, rounded down (never above the
 * declared value per unit). Shown to the fen, 5,000 yuan declared for 1,500 volunteer hours was
 * "1,500 × 3.33" beside a value of 5,000 (1,500 × 3.33 = 4,995): the parts did not make the amount.
 * The epsilon keeps 4.35 (held as 4.3499999…) at 4.35.
 */
const perUnit = (value: number) => Math.floor(value * 1e6 + 1e-6) / 1e6;

/** Whether `resource` may serve `template` at all (earmark). */
export function eligible(resource: ResourceSpec, template: TemplateSpec): boolean {
  return resource.categoryFamilyId === null || template.categoryFamilyIds.includes(resource.categoryFamilyId);
}

/**
 * The best joint allocation of `resources` (one community's) to the needs of `projects`.
 * `capacityOf` overrides what is left of a resource (after other projects took their part).
 */
export function allocate(projects: readonly ProjectToMatch[], resources: readonly ResourceSpec[], capacityOf?: (resource: ResourceSpec) => number): Allocation {
  const matches = new Map<string, ResourceMatchOut[]>(projects.map((p) => [p.key, []]));
  const value = new Map<string, number>(projects.map((p) => [p.key, 0]));
  if (projects.length === 0 || resources.length === 0) return { matches, value, total: 0 };
  const demands: { project: ProjectToMatch; needIndex: number; quantity: number }[] = [];
  for (const project of projects) project.template.needs.forEach((need, needIndex) => demands.push({ project, needIndex, quantity: need.quantity }));
  const arcs: TransportArc[] = [];
  resources.forEach((resource, s) => {
    demands.forEach(({ project, needIndex }, d) => {
      const need = project.template.needs[needIndex];
      if (need.kind !== resource.kind || !eligible(resource, project.template)) return;
      const unitValue = Math.min(need.unitValue, resource.unitValue ?? Infinity);
      if (unitValue > 0) arcs.push({ supply: s, demand: d, unitValue });
    });
  });
  if (arcs.length === 0) return { matches, value, total: 0 };
  const supplies = resources.map((resource) => {
    const left = capacityOf ? capacityOf(resource) : resource.capacity ?? Infinity;
    return Math.max(0, left);
  });
  const { flows } = maxValueTransport(supplies, demands.map((d) => d.quantity), arcs);
  let total = 0;
  arcs.forEach((arc, k) => {
    // Down to the cent, never up: rounded to the nearest, a resource with a fraction of a cent left
    // (49,999.996 after a claim of 0.004) was matched 50,000, more than it has, and its acceptance
    // was CONFLICT however often the suggestions were run again. The epsilon keeps a flow of 19.67
    // held as 19.669999999999998 at 19.67.
    const quantity = Math.floor(flows[k] * 100 + 1e-6) / 100;
    if (quantity <= 0) return;
    const resource = resources[arc.supply];
    const { project } = demands[arc.demand];
    // The value is quantity × the saving shown, so the explanation multiplies out (to the fen).
    const unitSaving = perUnit(arc.unitValue);
    const matched = cents(quantity * unitSaving);
    if (matched <= 0) return;
    matches.get(project.key)!.push({
      resourceId: resource.id,
      title: resource.title,
      unitId: resource.unitId,
      unitName: resource.unitName,
      kind: resource.kind,
      quantity,
      unitSaving,
      value: matched,
    });
    value.set(project.key, cents(value.get(project.key)! + matched));
    total = cents(total + matched);
  });
  for (const list of matches.values()) list.sort((a, b) => b.value - a.value || a.resourceId - b.resourceId);
  return { matches, value, total };
}

/** What each resource has left after an allocation took its part. */
export function leftAfter(resources: readonly ResourceSpec[], allocation: Allocation): (resource: ResourceSpec) => number {
  const used = new Map<number, number>();
  for (const list of allocation.matches.values()) for (const m of list) used.set(m.resourceId, (used.get(m.resourceId) ?? 0) + m.quantity);
  return (resource) => (resource.capacity === null ? Infinity : Math.max(0, resource.capacity - (used.get(resource.id) ?? 0)));
}
