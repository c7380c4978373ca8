import { deadlineKept, metDeadline, missedDeadline, responseOverdue } from '../../src/modules/whistle/whistle.rules';

/** whistle.rules.ts: one meaning of on time / late / overdue for a department called by a whistle. */
const h = (hours: number) => new Date(Date.UTC(2026, 0, 1) + hours * 3600_000);

describe('a department\'s deadline (whistle running)', () => {
  test('done by it: on time; done after it: late, and overdue; not done, past it: late; not yet due: neither', () => {
    expect(deadlineKept(h(2), h(1), null, h(10))).toBe(true);
    expect(deadlineKept(h(2), h(3), null, h(10))).toBe(false);
    expect(deadlineKept(h(2), null, null, h(10))).toBe(false);
    expect(deadlineKept(h(2), null, null, h(1))).toBeNull();
  });

  test('overdue is a missed report deadline or a missed feedback deadline, done late included', () => {
    const duties = (reportedAt: Date | null, answeredAt: Date | null) => ({ reportDueAt: h(1), reportedAt, feedbackDueAt: h(5), answeredAt });
    expect(responseOverdue(duties(h(2), null), null, h(3))).toBe(true); // reported late, feedback not yet due
    expect(responseOverdue(duties(h(0.5), null), null, h(3))).toBe(false); // reported in time
    expect(responseOverdue(duties(h(0.5), h(6)), null, h(10))).toBe(true); // fed back late
    expect(responseOverdue(duties(h(0.5), h(4)), null, h(10))).toBe(false);
    expect(responseOverdue(duties(null, null), null, h(0.5))).toBe(false); // not yet due
  });
});

describe('after the whistle stopped', () => {
  test('late at the stop stays late, whenever the answer came', () => {
    expect(missedDeadline(h(2), h(6), h(5), h(10))).toBe(true);
    expect(deadlineKept(h(2), h(6), h(5), h(10))).toBe(false);
  });

  test('not due at the stop: an answer after it, before or after the deadline, is neither on time nor late', () => {
    expect(metDeadline(h(72), h(6), h(5))).toBe(false);
    expect(deadlineKept(h(72), h(6), h(5), h(200))).toBeNull();
    expect(deadlineKept(h(72), h(80), h(5), h(200))).toBeNull();
    expect(deadlineKept(h(72), null, h(5), h(200))).toBeNull();
  });

  test('done by the deadline before the stop: on time', () => {
    expect(deadlineKept(h(2), h(1), h(5), h(10))).toBe(true);
    expect(metDeadline(h(2), h(2), h(2))).toBe(true);
  });
});
