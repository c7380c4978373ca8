import { Field, Float, Int, ObjectType } from 'type-graphql';
import { UNKNOWN_GROUP, topKeywords, type AuthoredText, type DemandKey } from '../../../analytics';
import { pathCondition } from '../identity/access';
import type { AppContext } from '../../context/context';
import { maySeePersonalData } from '../../common/privacy';
import { suppressesSmallCounts, withholdsRow } from '../../common/disclosure';

// Result types made only of scalars use `simpleResolvers`: GraphQL's default resolver, without
// the per-field middleware (the access guard has nothing to check on a scalar) — a large answer
// has thousands of such fields.
/** How much free text one ranked row reads for its keywords: the newest requests of the cell. */
const TEXTS_PER_ROW = 200;

@ObjectType({ simpleResolvers: true, description: '"What residents say": a keyword from the free text of the cell\'s requests (never personal data).' })
export class ResidentKeyword {
  @Field() term!: string;
  @Field(() => Float, { description: 'Summed TF-IDF share across the texts.' }) weight!: number;
  @Field(() => Int, { description: 'Residents whose requests use it: requests naming the same phone or name count as one resident, the same text sent again once, and a request naming no one as its own.' }) count!: number;
}

/**
 * Who wrote a request, for counting residents: keys of the resident it names, its phone (digits
 * only) and its name (NFKC, no spaces), each hashed so that no phone or name reaches the server's
 * memory; requests sharing either are one resident's (topKeywords joins them). A request naming
 * no one has no key and counts as its own resident: nothing on it says who made it (a grid
 * worker's patrol finding has no resident at all), and pooling all such requests into one
 * "resident" would silence every cell of anonymous calls and patrols. Identical texts still count
 * once, which catches the plainest repeat, the same request sent again.
 */
const AUTHOR_KEYS_SQL = `array_remove(array[
      md5('phone:' || nullif(regexp_replace(q.resident_phone, '\\D', '', 'g'), '')),
      md5('name:' || nullif(regexp_replace(normalize(q.resident_name, NFKC), '\\s', '', 'g'), ''))], null)`;

/** What a row needs to find its texts: its cell, the ranking's period and sources, and the viewer's scope. */
export interface RowTextScope {
  key: DemandKey;
  from: string;
  to: string;
  paths: string[] | null;
  /** The ranking's sources: the texts are requests', so a ranking of service records alone has none. */
  sources: 'SERVICE_RECORDS' | 'REQUESTS' | 'BOTH';
}

/**
 * Whether a row's volume counts requests at all: not in a ranking of service records alone, nor
 * in a service item's row (requests have no service item). Such a row shows no request's words.
 */
const countsRequests = (row: RowTextScope) => row.sources !== 'SERVICE_RECORDS' && row.key.serviceItemId === undefined;

/**
 * Keywords for many ranked rows in ONE statement: a lateral join takes the newest texts of
 * each cell (requests by category, community or grid, resident group, inside the period and the
 * viewer's scope), then analytics' topKeywords ranks them: it drops names, phones and numbers, and
 * publishes a term only when MIN_AUTHORS_PER_TERM (3) different residents use it, so a small cell shows
 * fewer terms and one resident writing three times publishes nothing; to a viewer who may not see
 * personal data, only terms of the domain vocabulary.
 */
export function residentsSayLoader(ctx: AppContext) {
  return ctx.loaders.get<RowTextScope, ResidentKeyword[]>('demand.residentsSay', async (rows) => {
    // Viewers who may not see personal data get only the domain vocabulary (see topKeywords).
    const domainTermsOnly = !maySeePersonalData(ctx.viewer);
    // One statement per area asked about (one, unless several rankings of different areas share
    // the request): a row reads its own ranking's area, not the first row's.
    const byArea = new Map<string, number[]>();
    rows.forEach((row, idx) => {
      if (!countsRequests(row)) return;
      const area = JSON.stringify(row.paths);
      byArea.set(area, [...(byArea.get(area) ?? []), idx]);
    });
    const texts: { idx: number; text: string; author_keys: string[] }[] = [];
    for (const indexes of byArea.values()) texts.push(...(await textsOf(ctx, rows, indexes)));
    const byRow = rows.map(() => [] as AuthoredText[]);
    for (const { idx, text, author_keys: authorKeys } of texts) byRow[idx].push({ text, authorKeys });
    // A portal reads no count of 1-4 residents (disclosure.ts): such a term is left out, its count non-null.
    const suppresses = suppressesSmallCounts(ctx.viewer);
    return byRow.map((list) => topKeywords(list, 12, { domainTermsOnly })
      .filter((keyword) => !withholdsRow(suppresses, [keyword.count]))
      .map((keyword) => ({ term: keyword.term, weight: Math.round(keyword.weight * 1000) / 1000, count: keyword.count })));
  });
}

/** The newest texts of each of `rows[indexes]`, all of one area (their paths), in ONE statement. */
async function textsOf(ctx: AppContext, rows: readonly RowTextScope[], indexes: number[]): Promise<{ idx: number; text: string; author_keys: string[] }[]> {
  const scope = pathCondition(rows[indexes[0]].paths, 'a.path');
  return ctx.em.execute(
    `select k.idx::int as idx, t.text, t.author_keys
       from jsonb_to_recordset(?::jsonb) as k(idx int, category_id int, community_id int, grid_id int, resident_group text, no_group boolean, day_from date, day_to date)
       cross join lateral (
         select q.title || '。' || q.body as text, ${AUTHOR_KEYS_SQL} as author_keys
           from request q
           join area a on a.id = q.area_id
          where (k.category_id is null or q.category_id = k.category_id)
            and (k.community_id is null or a.path like '%/' || k.community_id || '/%')
            and (k.grid_id is null or a.path like '%/' || k.grid_id || '/%')
            and (k.resident_group is null or q.resident_group = k.resident_group)
            and (not k.no_group or q.resident_group is null)
            and (q.created_at at time zone 'Asia/Shanghai')::date between k.day_from and k.day_to
            and ${scope.sql}
          order by q.created_at desc
          limit ${TEXTS_PER_ROW}) t`,
    [
      JSON.stringify(
        indexes.map((idx) => {
          const row = rows[idx];
          return {
            idx,
            category_id: row.key.categoryId ?? null,
            community_id: row.key.communityId ?? null,
            grid_id: row.key.gridId ?? null,
            // The UNKNOWN group's cell holds the requests that name no group (the roll-ups' unknown bit).
            resident_group: row.key.residentGroup === UNKNOWN_GROUP ? null : (row.key.residentGroup ?? null),
            no_group: row.key.residentGroup === UNKNOWN_GROUP,
            day_from: row.from,
            day_to: row.to,
          };
        }),
      ),
      ...scope.bindings,
    ],
  );
}
