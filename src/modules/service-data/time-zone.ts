/** Roll-up days are China-time calendar days. */
export const ROLLUP_TIME_ZONE = 'Asia/Shanghai';

/** SQL: the roll-up day of a request (alias `q`) — one definition for request_daily, the demand tables and area moves. */
export const REQUEST_DAY_SQL = `(q.created_at at time zone '${ROLLUP_TIME_ZONE}')::date`;

/** SQL: the community of a request's area (alias `a`, path /district/street/community/…), null above a community. */
export const REQUEST_COMMUNITY_SQL = `nullif(split_part(a.path, '/', 4), '')::int`;
