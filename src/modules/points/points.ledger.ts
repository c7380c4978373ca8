import { badInput } from '../../common/errors';
import { loadByGlobalId } from '../../common/lookup';
import { applyPatch, inTransaction } from '../../common/transaction';
import type { AppContext } from '../../context/context';
import { Person } from '../person/person.entity';
import { loadForUpdate } from '../../common/lookup';
import { PointEntry, PointKind, PointRule } from './points.entity';
import type { RedeemPointsInput, UpdatePointRuleInput } from './points.inputs';
import { balanceOf, REDEMPTION_SOURCE } from './points.service';
import { assertActsFor } from '../identity/access';
import { authorizeArea } from '../identity/access';
import { assertAreaWritable } from '../area/area.service';
import { yearRange } from '../../common/dates';

/** One place of a community's points leaderboard. */
export interface LeaderboardRow {
  rank: number;
  personId: number;
  earned: number;
  balance: number;
}

/**
 * 积分台账: rules are data; points are earned only through `awardPoints` (verified work) and
 * spent here. The balance is the sum of a person's entries and never goes below zero.
 */
export const pointsLedger = {
  rules(ctx: AppContext): Promise<PointRule[]> {
    return ctx.em.find(PointRule, {}, { orderBy: { id: 'ASC' } });
  },

  async updateRule(ctx: AppContext, id: string, input: UpdatePointRuleInput): Promise<PointRule> {
    return inTransaction(ctx, async (em) => {
      const rule = await loadByGlobalId(em, PointRule, id, 'id');
      applyPatch(rule, input, ['points', 'active', 'description']);
      await em.flush();
      return rule;
    });
  },

  /**
   * 以积分换服务. The person's row is locked (SELECT … FOR UPDATE) before the balance is summed,
   * so concurrent redemptions of one person run one after another and each sees the others'
   * entries: together they can never spend more than the balance.
   */
  async redeem(ctx: AppContext, input: RedeemPointsInput): Promise<PointEntry> {
    return inTransaction(ctx, async (em) => {
      const person = await loadForUpdate(em, Person, input.personId, 'input.personId');
      assertActsFor(ctx, { personId: person.id });
      // The entry is a consequence type the scope guard skips: the person must be ours to change.
      await assertAreaWritable(ctx, em, person.residenceCommunity?.id, 'Person');
      const balance = await balanceOf(em, person.id);
      if (input.points > balance) throw badInput('input.points', `is more than the balance of ${balance} points`);
      const [{ last }] = await em.execute<{ last: number }[]>(
        'select coalesce(max(source_id), 0)::int as last from point_entry where person_id = ? and kind = ? and source_type = ?',
        [person.id, PointKind.SERVICE_REDEEMED, REDEMPTION_SOURCE],
      );
      const entry = em.create(PointEntry, {
        person,
        kind: PointKind.SERVICE_REDEEMED,
        amount: -input.points,
        sourceType: REDEMPTION_SOURCE,
        sourceId: Number(last) + 1,
        note: input.note,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
      });
      await em.flush();
      return entry;
    });
  },

  /**
   * People living in the community ranked by points earned (ties share a rank, then person id),
   * in one statement. With a year (China time), only entries counting on that year (created_at: the
   * day verified, an attendance's its activity's start, attendancePointsDate) count as earned, and only people who earned in it are ranked: all-time totals would keep newcomers at
   * the bottom for years. Spending never lowers `earned`; `balance` is always what is left now.
   */
  async leaderboard(ctx: AppContext, communityId: string, first: number, year?: number | null): Promise<LeaderboardRow[]> {
    const community = (await authorizeArea(ctx, communityId, 'communityId', ['Community'])).area!;
    const period = year == null ? { from: null, to: null } : yearRange(year);
    const rows: { person_id: number; earned: number; balance: number; rank: number }[] = await ctx.em.execute(
      `select person_id, earned, balance, rank() over (order by earned desc)::int as rank
         from (select e.person_id,
                      coalesce(sum(e.amount) filter (where e.amount > 0
                        and (?::timestamptz is null or e.created_at >= ?::timestamptz)
                        and (?::timestamptz is null or e.created_at < ?::timestamptz)), 0)::int as earned,
                      sum(e.amount)::int as balance
                 from point_entry e
                 join person p on p.id = e.person_id
                where p.residence_community_id = ?
                group by e.person_id) totals
        where ?::timestamptz is null or earned > 0
        order by earned desc, person_id asc
        limit ?`,
      [period.from, period.from, period.to, period.to, community.id, period.from, first],
    );
    return rows.map((row) => ({ rank: Number(row.rank), personId: Number(row.person_id), earned: Number(row.earned), balance: Number(row.balance) }));
  },
};
