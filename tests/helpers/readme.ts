/** The README's projects section (its examples need one-window records, so they run in their own test). */
const PROJECTS_HEADING = '## Suggested livelihood projects';

function bounds(readme: string): [number, number] {
  const start = readme.indexOf(PROJECTS_HEADING);
  if (start < 0) throw new Error(`the README has no "${PROJECTS_HEADING}" section`);
  const end = readme.indexOf('\n## ', start + PROJECTS_HEADING.length);
  return [start, end < 0 ? readme.length : end];
}

export function projectsSection(readme: string): string {
  const [start, end] = bounds(readme);
  return readme.slice(start, end);
}

export function withoutProjectsSection(readme: string): string {
  const [start, end] = bounds(readme);
  return readme.slice(0, start) + readme.slice(end);
}
