/** Anything that runs SQL with $1-style parameters and returns rows (a pg client, or a knex-backed adapter). */
export interface SqlRunner {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}
