/**
 * 反向考核: how a community scores the units paired with it and the party members reported to
 * it (双报到). The weights are data, here and only here; each part is a share 0..1, the total a
 * weighted mean on 0..100.
 */

/** How a community scores a unit paired with it. */
export const ASSESSMENT_WEIGHTS = {
  /** Share of the community's activities that year held during the unit's pairing term (China days; held so far: started by now) attended by at least one of the unit's people. */
  attendance: 0.25,
  /** Claims on the community's list items made during the unit's pairing term (China days) delivered or confirmed, of all not cancelled. */
  claims: 0.25,
  /** Whistles of the community blown to the unit during its pairing term (China days) answered by the feedback deadline, of all answered by it or that missed it (whistle.rules.ts: a whistle stopped first does not count). */
  whistles: 0.25,
  /** Mean resident satisfaction (1-5) on the unit's requests in the community created during its pairing term (China days), divided by 5. */
  satisfaction: 0.25,
} as const;

/** How a community scores a member reported to it (双报到): what the report asks of them. */
export const MEMBER_ASSESSMENT_WEIGHTS = {
  /** Held a service post of the community some time that year (claimed by its last day, not ended before its first): 双报到 asks each member to take at least one. 1 or 0. */
  posts: 0.25,
  /** Share of the community's activities held that year while they were reported (on a day their report counts for: report-end.ts, REPORTS_TO_COMMUNITY_SQL; and started by now) that they attended. */
  attendance: 0.25,
  /** Requests in the community assigned to them, created that year on a day their report counts for (as attendance): resolved by their due time, of those resolved, held by them past it, or taken from them past it, each request once (限时办结; request.states.ts, assigneeDueAt, HELD_BY_ASSIGNEE). */
  requests: 0.25,
  /** Mean resident satisfaction (1-5) on those requests, divided by 5. */
  satisfaction: 0.25,
} as const;

export type UnitAssessmentPartName = keyof typeof ASSESSMENT_WEIGHTS;
export type MemberAssessmentPartName = keyof typeof MEMBER_ASSESSMENT_WEIGHTS;
export type AssessmentPartName = UnitAssessmentPartName | MemberAssessmentPartName;

const PART_LABELS: Record<AssessmentPartName, string> = {
  attendance: 'attendance (活动参与)',
  claims: 'claims delivered (认领兑现)',
  whistles: 'whistles answered on time (吹哨报到)',
  satisfaction: 'resident satisfaction (群众满意度)',
  posts: 'service post held (认岗)',
  requests: 'requests resolved on time (限时办结)',
};

export interface PartFacts {
  numerator: number;
  denominator: number;
}

export interface ScoredPart<Name extends AssessmentPartName = AssessmentPartName> extends PartFacts {
  name: Name;
  /** numerator / denominator, or null when there is nothing to measure (denominator 0). */
  score: number | null;
  /** The weight from the rules. */
  weight: number;
  /** The weight after re-normalising over the parts that have data (0 for a part without data). */
  appliedWeight: number;
}

export interface ScoredAssessment<Name extends AssessmentPartName = UnitAssessmentPartName> {
  parts: Record<Name, ScoredPart<Name>>;
  /** 0..100 (two decimals), or null when no part has data. */
  score: number | null;
  notes: string[];
}

/** Scores one unit: parts without data drop out and the others' weights are scaled up to sum to 1. */
export function scoreAssessment(facts: Record<UnitAssessmentPartName, PartFacts>, year: number): ScoredAssessment<UnitAssessmentPartName> {
  return scoreParts(ASSESSMENT_WEIGHTS, facts, year);
}

/** Scores one member the same way, with the member weights. */
export function scoreMemberAssessment(facts: Record<MemberAssessmentPartName, PartFacts>, year: number): ScoredAssessment<MemberAssessmentPartName> {
  return scoreParts(MEMBER_ASSESSMENT_WEIGHTS, facts, year);
}

/** The one scoring rule: parts without data drop out and the others' weights are scaled up to sum to 1. */
function scoreParts<Name extends AssessmentPartName>(weights: Readonly<Record<Name, number>>, facts: Record<Name, PartFacts>, year: number): ScoredAssessment<Name> {
  const names = Object.keys(weights) as Name[];
  const measured = names.filter((name) => facts[name].denominator > 0);
  const weightWithData = measured.reduce((sum, name) => sum + weights[name], 0);
  const notes: string[] = [];
  const parts = {} as Record<Name, ScoredPart<Name>>;
  for (const name of names) {
    const { numerator, denominator } = facts[name];
    const hasData = denominator > 0;
    parts[name] = {
      name,
      numerator,
      denominator,
      score: hasData ? numerator / denominator : null,
      weight: weights[name],
      appliedWeight: hasData && weightWithData > 0 ? weights[name] / weightWithData : 0,
    };
    if (!hasData) notes.push(`${PART_LABELS[name]}: no data in ${year}; left out, and the other parts' weights re-normalised`);
  }
  if (measured.length === 0) {
    notes.push(`no part has data in ${year}: no score`);
    return { parts, score: null, notes };
  }
  const total = measured.reduce((sum, name) => sum + parts[name].score! * parts[name].appliedWeight, 0);
  return { parts, score: Math.round(total * 10_000) / 100, notes };
}

/** Competition ranking (1, 2, 2, 4) by score, highest first; unscored items get no rank. */
export function rankByScore<T extends { score: number | null }>(items: T[]): (T & { rank: number | null })[] {
  const scores = items.map((item) => item.score).filter((score): score is number => score != null);
  return items.map((item) => ({ ...item, rank: item.score == null ? null : 1 + scores.filter((score) => score > item.score!).length }));
}
