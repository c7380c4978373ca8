/**
 * A small seeded pseudo-random generator for the demo data: sfc32 (Chris Doty-Humphrey's
 * "small fast counter"), seeded through splitmix32 so that nearby seeds give unrelated streams.
 * Same seed, same calls → same output, on every platform (only 32-bit integer arithmetic).
 * Never use `Math.random()` in the seed code: it would break determinism.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let state = seed >>> 0;
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    // Discard the first outputs, as the sfc32 author recommends.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max < min`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[Math.floor(this.next() * items.length)];
  }

  /**
   * One element, with probability proportional to its weight. Weights are an array parallel
   * to `items` or a function of the item. For many draws from the same list use `WeightedTable`.
   */
  weightedPick<T>(items: readonly T[], weights: readonly number[] | ((item: T, index: number) => number)): T {
    const w = typeof weights === 'function' ? items.map(weights) : weights;
    if (w.length !== items.length) throw new RangeError('weightedPick(): weights and items differ in length');
    let total = 0;
    for (const x of w) total += Math.max(0, x);
    if (!(total > 0)) throw new RangeError('weightedPick(): no positive weight');
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= Math.max(0, w[i]);
      if (r < 0) return items[i];
    }
    // Float rounding: fall back to the last item with a positive weight.
    for (let i = items.length - 1; i >= 0; i--) if (w[i] > 0) return items[i];
    return items[items.length - 1];
  }

  /** Fisher-Yates, in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** `k` distinct elements (fewer if the array is shorter), in random order; the input is untouched. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.min(Math.max(0, Math.floor(k)), copy.length);
    // Partial Fisher-Yates: only the first n positions are needed.
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      const tmp = copy[i];
      copy[i] = copy[j];
      copy[j] = tmp;
    }
    return copy.slice(0, n);
  }

  /** A roughly normal value (sum of uniforms), clamped to [min, max]. */
  normal(mean: number, sd: number, min = -Infinity, max = Infinity): number {
    let sum = 0;
    for (let i = 0; i < 6; i++) sum += this.next();
    const z = (sum - 3) / Math.SQRT1_2; // the sum of 6 uniforms has variance 0.5
    return Math.min(max, Math.max(min, mean + z * sd));
  }
}

/**
 * mulberry32: a one-word-state stream of uniforms in [0, 1), for the one-window generator (where
 * millions of draws make its speed count) and for property tests that must see the same instances
 * every run. Same seed, same stream.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRandom(seed: number): Random {
  return new Random(seed);
}

/** Repeated weighted draws from a fixed list in O(log n) each (cumulative weights + binary search). */
export class WeightedTable<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(
    private readonly items: readonly T[],
    weights: readonly number[] | ((item: T, index: number) => number),
  ) {
    const w = typeof weights === 'function' ? items.map(weights) : weights;
    if (w.length !== items.length) throw new RangeError('WeightedTable: weights and items differ in length');
    let total = 0;
    for (const x of w) {
      total += Math.max(0, x);
      this.cumulative.push(total);
    }
    if (!(total > 0)) throw new RangeError('WeightedTable: no positive weight');
    this.total = total;
  }

  draw(random: Random): T {
    const r = random.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}
