/**
 * The analytics package's only door: `src/` imports analytics through this file alone,
 * and analytics never imports from `src/modules`. Demand ranking and project suggestions
 * arrive with the analytics issue; until then the door only says what it offers.
 */
export const ANALYTICS_CAPABILITIES: readonly string[] = [];

// Free text (Chinese): segmentation, keywords, the category classifier and its evaluation.
export * from './text';
