/**
 * 反向考核: how a community scores the units paired with it. The weights are data, here and
 * only here; each part is a share 0..1, the total a weighted mean on 0..100.
 */
export const ASSESSMENT_WEIGHTS = {
  /** Share of the community's activities that year (held so far: started by now) attended by at least one of the unit's people. */
  attendance: 0.25,
  /** Claims on the community's list items delivered or confirmed, of all not cancelled. */
  claims: 0.25,
  /** Whistles of the community answered by the feedback deadline, of all answered or overdue. */
  whistles: 0.25,
  /** Mean resident satisfaction (1-5) on the unit's requests in the community, divided by 5. */
  satisfaction: 0.25,
} as const;

export type AssessmentPartName = keyof typeof ASSESSMENT_WEIGHTS;
export const ASSESSMENT_PARTS = Object.keys(ASSESSMENT_WEIGHTS) as AssessmentPartName[];

const PART_LABELS: Record<AssessmentPartName, string> = {
  attendance: 'attendance (活动参与)',
  claims: 'claims delivered (认领兑现)',
  whistles: 'whistles answered on time (吹哨报到)',
  satisfaction: 'resident satisfaction (群众满意度)',
};

export interface PartFacts {
  numerator: number;
  denominator: number;
}

export interface ScoredPart extends PartFacts {
  name: AssessmentPartName;
  /** numerator / denominator, or null when there is nothing to measure (denominator 0). */
  score: number | null;
  /** The weight from the rules. */
  weight: number;
  /** The weight after re-normalising over the parts that have data (0 for a part without data). */
  appliedWeight: number;
}

export interface ScoredAssessment {
  parts: Record<AssessmentPartName, ScoredPart>;
  /** 0..100 (two decimals), or null when no part has data. */
  score: number | null;
  notes: string[];
}

/** Scores one unit: parts without data drop out and the others' weights are scaled up to sum to 1. */
export function scoreAssessment(facts: Record<AssessmentPartName, PartFacts>, year: number): ScoredAssessment {
  const measured = ASSESSMENT_PARTS.filter((name) => facts[name].denominator > 0);
  const weightWithData = measured.reduce((sum, name) => sum + ASSESSMENT_WEIGHTS[name], 0);
  const notes: string[] = [];
  const parts = {} as Record<AssessmentPartName, ScoredPart>;
  for (const name of ASSESSMENT_PARTS) {
    const { numerator, denominator } = facts[name];
    const hasData = denominator > 0;
    parts[name] = {
      name,
      numerator,
      denominator,
      score: hasData ? numerator / denominator : null,
      weight: ASSESSMENT_WEIGHTS[name],
      appliedWeight: hasData && weightWithData > 0 ? ASSESSMENT_WEIGHTS[name] / weightWithData : 0,
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
