/**
 * danfojs-node behind the analytics door, only ever on small, already-aggregated frames (cells ×
 * areas, a few hundred to a few thousand rows). Loaded lazily: requiring it costs ~1.3 s once
 * (it pulls TensorFlow.js), so servers call `warmFrames()` at start-up.
 */
type Danfo = typeof import('danfojs-node');
let danfo: Danfo | null = null;

function load(): Danfo {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!danfo) danfo = require('danfojs-node') as Danfo;
  return danfo;
}

/** Loads danfojs-node now rather than on the first ranking. */
export function warmFrames(): void {
  load();
}

/** Whether frames go through danfojs (default) or plain loops (ANALYTICS_DANFO=0, for comparison in the benchmark). */
export function framesUseDanfo(): boolean {
  return process.env.ANALYTICS_DANFO !== '0';
}

/**
 * Sums `columns` of `rows` per `key` (a groupby-sum). With danfojs: DataFrame.groupby(key).col(columns).sum();
 * nulls (columns a roll-up does not keep) stay null.
 */
export function groupSum(rows: Record<string, number | string | null>[], key: string, columns: readonly string[]): Map<string, Record<string, number | null>> {
  const out = new Map<string, Record<string, number | null>>();
  if (rows.length === 0) return out;
  const nullColumns = columns.filter((c) => rows.every((row) => row[c] === null));
  const summed = columns.filter((c) => !nullColumns.includes(c));
  // Keys all distinct (e.g. category × community cells, one roll-up row each): nothing to add up.
  const distinct = new Set(rows.map((row) => String(row[key]))).size === rows.length;
  if (framesUseDanfo() && summed.length > 0 && !distinct) {
    const dfd = load();
    // Column arrays, not row objects: danfojs builds a frame from columns several times faster.
    const data: Record<string, (string | number)[]> = { [key]: rows.map((row) => String(row[key])) };
    for (const c of summed) data[c] = rows.map((row) => Number(row[c] ?? 0));
    const frame = new dfd.DataFrame(data);
    const grouped = frame.groupby([key]).col([...summed]).sum();
    const keys = grouped[key].values as string[];
    const series = summed.map((c) => grouped[`${c}_sum`].values as number[]);
    keys.forEach((k, i) => out.set(String(k), Object.fromEntries([...summed.map((c, j) => [c, series[j][i]]), ...nullColumns.map((c) => [c, null])])));
    return out;
  }
  for (const row of rows) {
    const k = String(row[key]);
    let acc = out.get(k);
    if (!acc) {
      acc = Object.fromEntries([...summed.map((c) => [c, 0]), ...nullColumns.map((c) => [c, null])]) as Record<string, number | null>;
      out.set(k, acc);
    }
    for (const c of summed) acc[c] = (acc[c] as number) + Number(row[c] ?? 0);
  }
  return out;
}
