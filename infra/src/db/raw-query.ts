import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/**
 * Runs SQL with bound parameters, in the EntityManager's transaction when it has one. MikroORM's
 * `execute` inlines parameters into the SQL text, escaping them character by character: with a
 * large batch or id list that costs more than the query itself. Use this wherever a parameter can
 * be large; results are the driver's rows.
 */
export async function rawQuery<T = Record<string, unknown>[]>(em: EntityManager, sql: string, params: unknown[]): Promise<T> {
  const knex = em.getTransactionContext<Knex.Transaction>() ?? em.getConnection().getKnex();
  const result = (await knex.raw(sql, params as Knex.RawBinding[])) as { rows: T };
  return result.rows;
}
