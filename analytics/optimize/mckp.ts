/**
 * Multiple-choice knapsack by dynamic programming, with a layer per set of groups served.
 *
 * Classes are chosen from independently: at most one option of each class (a single item is a
 * class with one option; a community under caps is a class whose options are its allowed
 * subsets). best[t][w] is the most value reachable with weight ≤ w whose options together serve
 * at least the groups in t ("superset" layers: taking an option serving g from layer t reads
 * layer t \ g, so one source per option and one bit or index per cell rebuilds the choice).
 *
 * Work: Σ_classes (#options) × (capacity + 1) × 2^|groups|; memory: one bit per cell for
 * one-option classes, one 16-bit index per cell for the others.
 */

export interface ClassOption {
  weight: number;
  value: number;
  /** Groups served, already packed to bits 0..groupCount−1. */
  mask: number;
}

export interface MckpResult {
  /** For each class, the index of its chosen option, or −1 for none. */
  choice: Int32Array;
  value: number;
  weight: number;
  /** Whether some choice serves every group (value is −Infinity otherwise). */
  feasible: boolean;
  cells: number;
}

/** The work a solve would take, to decide whether to run it. */
export function mckpWork(classes: readonly (readonly ClassOption[])[], capacity: number, groupCount: number): number {
  return classes.reduce((sum, options) => sum + options.length, 0) * (Math.floor(capacity) + 1) * (1 << groupCount);
}

/** The filled table: the best value for any layer and capacity, and the choice that reaches it. */
export interface MckpTable {
  cells: number;
  width: number;
  layers: number;
  valueAt(layer: number, weight: number): number;
  choose(layer: number, weight: number): Int32Array;
}

export function mckpTable(classes: readonly (readonly ClassOption[])[], capacity: number, groupCount: number): MckpTable {
  const width = Math.max(0, Math.floor(capacity)) + 1;
  const layers = 1 << groupCount;
  const best = Array.from({ length: layers }, (_, t) => new Float64Array(width).fill(t === 0 ? 0 : -Infinity));
  const words = (width + 31) >>> 5;
  const singleBits: (Uint32Array | null)[] = [];
  const multiIndex: (Uint16Array | null)[] = [];
  let cells = 0;
  classes.forEach((options) => {
    if (options.length === 1) {
      // One option: in place, capacities downwards and wider layers first, so every read sees
      // the table before this class (a source layer t \ g is numerically below t).
      const { weight, value, mask } = options[0];
      const bits = new Uint32Array(layers * words);
      if (weight < width && value > -Infinity) {
        for (let t = layers - 1; t >= 0; t--) {
          const target = best[t];
          const source = best[t & ~mask];
          const row = t * words;
          for (let w = width - 1; w >= weight; w--) {
            const candidate = source[w - weight] + value;
            if (candidate > target[w]) {
              target[w] = candidate;
              bits[row + (w >>> 5)] |= 1 << (w & 31);
            }
          }
        }
      }
      cells += layers * width;
      singleBits.push(bits);
      multiIndex.push(null);
      return;
    }
    // Several options: read from a copy of the table before this class (at most one option each).
    const before = best.map((layer) => Float64Array.from(layer));
    const index = new Uint16Array(layers * width);
    options.forEach((option, k) => {
      if (option.weight >= width) return;
      for (let t = layers - 1; t >= 0; t--) {
        const target = best[t];
        const source = before[t & ~option.mask];
        const row = t * width;
        for (let w = width - 1; w >= option.weight; w--) {
          const candidate = source[w - option.weight] + option.value;
          if (candidate > target[w]) {
            target[w] = candidate;
            index[row + w] = k + 1;
          }
        }
      }
      cells += layers * width;
    });
    singleBits.push(null);
    multiIndex.push(index);
  });

  return {
    cells,
    width,
    layers,
    valueAt: (t: number, w: number) => best[t][Math.min(width - 1, Math.max(0, Math.floor(w)))],
    choose(t: number, w: number): Int32Array {
      const choice = new Int32Array(classes.length).fill(-1);
      let layer = t;
      let room = Math.min(width - 1, Math.floor(w));
      for (let c = classes.length - 1; c >= 0; c--) {
        const bits = singleBits[c];
        const picked = bits ? ((bits[layer * words + (room >>> 5)] >>> (room & 31)) & 1 ? 0 : -1) : multiIndex[c]![layer * width + room] - 1;
        if (picked >= 0) {
          const option = classes[c][picked];
          choice[c] = picked;
          layer &= ~option.mask;
          room -= option.weight;
        }
      }
      return choice;
    },
  };
}

/** Solves and reads the answer for "every group served, weight ≤ capacity". */
export function solveMckp(classes: readonly (readonly ClassOption[])[], capacity: number, groupCount: number): MckpResult {
  const table = mckpTable(classes, capacity, groupCount);
  const full = table.layers - 1;
  const value = table.valueAt(full, table.width - 1);
  if (value === -Infinity) return { choice: new Int32Array(classes.length).fill(-1), value, weight: 0, feasible: false, cells: table.cells };
  const choice = table.choose(full, table.width - 1);
  const weight = classes.reduce((sum, options, c) => sum + (choice[c] >= 0 ? options[choice[c]].weight : 0), 0);
  return { choice, value, weight, feasible: true, cells: table.cells };
}
