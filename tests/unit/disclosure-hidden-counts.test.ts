import { MIN_CELL_RECORDS, REMAINDER, hiddenCounts, overlapSuppressesTotal, rateShown, ratedComplement, remainderLinks, remainderOf, suppressedCells, suppressesTotal, withDerivedNulled } from '../../src/common/disclosure';

/*
 * hiddenCounts (disclosure.ts): primary and complementary suppression of one count column, the rule
 * every portal breakdown (dashboard, serviceStats, demandSeries, demandHotspots) is built on.
 */

describe('hiddenCounts', () => {
  test('primary: cells of 1 to 4 are hidden, 5 and more shown', () => {
    expect(hiddenCounts(true, [1, 4, 5, 20, 2])).toEqual([true, true, false, false, true]);
  });

  test('complement: hidden cells holding 1-4 together take the smallest shown non-zero cell (first of equals)', () => {
    expect(hiddenCounts(true, [2, 9, 6, 6, 30])).toEqual([true, false, true, false, false]);
  });

  test('complement stops once the hidden cells hold 5 or more (2 + 3 = 5: nothing more)', () => {
    expect(hiddenCounts(true, [2, 3, 7, 8])).toEqual([true, true, false, false]);
    // 1 + 6 = 7: one complement is enough, the 8 stays.
    expect(hiddenCounts(true, [1, 6, 8])).toEqual([true, true, false]);
  });

  test('zero cells are never hidden, not even as a complement', () => {
    expect(hiddenCounts(true, [0, 2, 0, 10])).toEqual([false, true, false, true]);
    expect(hiddenCounts(true, [0, 0])).toEqual([false, false]);
  });

  test('no complement left: every non-zero cell hidden (the column total is then itself 1-4)', () => {
    expect(hiddenCounts(true, [1, 2, 0])).toEqual([true, true, false]);
  });

  test('groups are judged apart: a group\'s small cell takes its complement from its own group only', () => {
    // Group a: 2 hidden with its complement 6 (not the 5 of group b, though smaller). Group b: 5 and 7 shown.
    expect(hiddenCounts(true, [2, 6, 5, 7], [], ['a', 'a', 'b', 'b'])).toEqual([true, true, false, false]);
    // Group b alone of 3: nothing to complement it with in b; group a untouched.
  });

  test('groups: the column as a whole is judged too (its total is shown beside the groups\' subtotals): a group of 1-4 with nothing to complement it in the group takes the smallest shown cell of another', () => {
    // received 12 = ORDERED 10 + RESOLVED 2: resolved (2) is suppressed as a total, so 12 − the ORDERED 10 shown would give it back.
    expect(hiddenCounts(true, [2, 10], [], ['done', 'other'])).toEqual([true, true]);
    expect(hiddenCounts(true, [8, 9, 3], [], ['a', 'a', 'b'])).toEqual([true, false, true]);
    // Each group holding 0 or 5 or more hidden: the column too, nothing more.
    expect(hiddenCounts(true, [2, 6, 5, 7], [], ['a', 'a', 'b', 'b'])).toEqual([true, true, false, false]);
  });

  test('alreadyHidden cells are hidden and counted: a hidden row of 3 takes a complement, one of 6 does not', () => {
    expect(hiddenCounts(true, [3, 10, 12], [true, false, false])).toEqual([true, true, false]);
    expect(hiddenCounts(true, [6, 10, 12], [true, false, false])).toEqual([true, false, false]);
    // An already-hidden 0 stays a shown 0.
    expect(hiddenCounts(true, [0, 10], [true, false])).toEqual([false, false]);
  });

  test('a viewer who does not suppress small counts has nothing hidden', () => {
    expect(hiddenCounts(false, [1, 2, 3, 40], [true, true, false, false], ['a', 'b', 'a', 'b'])).toEqual([false, false, false, false]);
  });

  test('property: per group and over the whole column, the hidden cells hold 0 or ≥ 5 unless every non-zero cell of it is hidden; every 1-4 cell hidden; no 0 hidden', () => {
    let seed = 20261207;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let run = 0; run < 2000; run += 1) {
      const length = 1 + Math.floor(random() * 8);
      const counts = Array.from({ length }, () => (random() < 0.3 ? 0 : random() < 0.5 ? 1 + Math.floor(random() * 4) : Math.floor(random() * 40)));
      const already = counts.map(() => random() < 0.15);
      const groups = counts.map(() => (random() < 0.5 ? 'x' : 'y'));
      const hidden = hiddenCounts(true, counts, already, groups);
      counts.forEach((count, i) => {
        if (count === 0) expect(hidden[i]).toBe(false);
        if (count > 0 && count < MIN_CELL_RECORDS) expect(hidden[i]).toBe(true);
        if (count > 0 && already[i]) expect(hidden[i]).toBe(true);
      });
      for (const group of [...new Set(groups), 'whole column']) {
        const cells = counts.map((_, i) => i).filter((i) => group === 'whole column' || groups[i] === group);
        const hiddenSum = cells.reduce((sum, i) => sum + (hidden[i] ? counts[i] : 0), 0);
        const allNonZeroHidden = cells.every((i) => counts[i] === 0 || hidden[i]);
        if (!(hiddenSum === 0 || hiddenSum >= MIN_CELL_RECORDS || allNonZeroHidden)) {
          throw new Error(`group ${group} of ${JSON.stringify({ counts, already, groups, hidden })} hides ${hiddenSum}`);
        }
      }
    }
  });
});

test('suppressesTotal: 1-4 only, and only for a viewer who suppresses', () => {
  expect([0, 1, 4, 5].map((n) => suppressesTotal(true, n))).toEqual([false, true, true, false]);
  expect(suppressesTotal(false, 2)).toBe(false);
});

test('rateShown: not when the numerator or the rest is 1-4 (28 requests, 2 responded; 28 with 26)', () => {
  expect(rateShown(true, 2, 28)).toBe(false);
  expect(rateShown(true, 26, 28)).toBe(false);
  expect(rateShown(true, 0, 28)).toBe(true);
  expect(rateShown(true, 28, 28)).toBe(true);
  expect(rateShown(true, 10, 28)).toBe(true);
  expect(rateShown(false, 2, 28)).toBe(true);
});

test('withDerivedNulled: links chain and go both ways, whatever their order (open hidden hides rest, which hides finished and the close time)', () => {
  const derived = { averageCloseHours: ['finished'], open: ['finished', 'rest'], finished: ['open', 'rest'], rest: ['open', 'finished'] } as const;
  expect([...withDerivedNulled(new Set<string>(['open']), derived)].sort()).toEqual(['averageCloseHours', 'finished', 'open', 'rest']);
  expect([...withDerivedNulled(new Set<string>(['satisfactionCount']), derived)]).toEqual(['satisfactionCount']);
});

test('overlapSuppressesTotal: rows overlapping by 1-4, or shown rows 1-4 off the total, either way (ELDERLY 10 + DISABLED 8, total 15)', () => {
  expect(overlapSuppressesTotal(true, 15, [10, 8], [10, 8])).toBe(true);
  expect(overlapSuppressesTotal(true, 15, [10, 10], [10, 10])).toBe(false);
  expect(overlapSuppressesTotal(true, 20, [10, 10, 3], [10, 10, null])).toBe(true);
  // Rows that partition the total: the hidden cells hold 0 or 5 and more.
  expect(overlapSuppressesTotal(true, 40, [30, 10], [30, null])).toBe(false);
  expect(overlapSuppressesTotal(false, 15, [10, 8], [10, 8])).toBe(false);
});

describe('ratedComplement', () => {
  test('a complement outside the rate protects nothing: 甲 (6, no residents) hides 乙 (2) by volume, the rated 2 takes 丙 (20) too', () => {
    const byVolume = hiddenCounts(true, [6, 2, 20]);
    expect(byVolume).toEqual([true, true, false]);
    expect(ratedComplement([0, 2, 20], byVolume)).toEqual([true, true, true]);
  });

  test('hidden rated counts already 0 or 5 and more: nothing more hidden', () => {
    expect(ratedComplement([0, 2, 6, 20], [false, true, true, false])).toEqual([false, true, true, false]);
    expect(ratedComplement([0, 0, 20], [true, false, false])).toEqual([true, false, false]);
  });
});

describe('a remainder (a count the row gives away without showing it)', () => {
  const unresolved = { of: 'received', parts: ['resolved'] } as const;
  test('remainderOf: the whole less its parts; null when the whole or a part is null', () => {
    expect(remainderOf({ received: 7, resolved: 5 }, unresolved)).toBe(2);
    expect(remainderOf({ received: 7, resolved: null }, unresolved)).toBeNull();
    expect(remainderOf({ volume: 30, open: 13, finished: 12 }, { of: 'volume', parts: ['open', 'finished'] })).toBe(5);
  });

  test('remainderLinks: each part and the remainder drawn from the others and the whole, added to the links given', () => {
    const links = remainderLinks<'count' | 'open' | 'finished' | 'average'>({ average: ['finished'], open: ['count'] }, { of: 'count', parts: ['open', 'finished'] });
    expect(links.average).toEqual(['finished']);
    expect([...(links.open ?? [])].sort()).toEqual([REMAINDER, 'count', 'finished'].sort());
    expect([...(links.finished ?? [])].sort()).toEqual([REMAINDER, 'count', 'open'].sort());
    expect([...(links[REMAINDER] ?? [])].sort()).toEqual(['count', 'finished', 'open'].sort());
    expect(links.count).toBeUndefined();
  });

  test('suppressedCells: a day of 7 received and 5 resolved hides its resolved (7 − 5 gives the 2 unresolved), and the unresolved column takes its complement (day c); the remainder is not in the answer; staff read all', () => {
    const days = [{ day: 'a', received: 7, resolved: 5 }, { day: 'b', received: 6, resolved: 6 }, { day: 'c', received: 20, resolved: 10 }];
    const rules = { size: (row: (typeof days)[number]) => row.received, counts: ['resolved'] as const, remainder: unresolved };
    const portal = suppressedCells(true, days, ['received', 'resolved'] as const, rules);
    expect(portal).toEqual([
      { day: 'a', received: 7, resolved: null, suppressed: true },
      { day: 'b', received: 6, resolved: 6, suppressed: false },
      { day: 'c', received: 20, resolved: null, suppressed: true },
    ]);
    expect(suppressedCells(false, days, ['received', 'resolved'] as const, rules).map((row) => row.resolved)).toEqual([5, 6, 10]);
  });

  test('suppressedCells: with the remainder of a row hidden as a complement, its parts go with it (open 3 hidden takes finished; the whole stays)', () => {
    const rows = [{ key: 'x', count: 30, open: 3, finished: 20 }, { key: 'y', count: 40, open: 10, finished: 30 }];
    const judged = suppressedCells(true, rows, ['count', 'open', 'finished'] as const, { size: (row) => row.count, counts: ['open', 'finished'], remainder: { of: 'count', parts: ['open', 'finished'] } });
    expect(judged[0]).toEqual({ key: 'x', count: 30, open: null, finished: null, suppressed: true });
    for (const row of judged) expect(Object.keys(row)).not.toContain(REMAINDER);
  });
});
