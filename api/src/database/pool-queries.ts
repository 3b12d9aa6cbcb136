import { createHash } from 'node:crypto';
import { DatabaseError, type Pool, type PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Runs `work` on a pool connection, outside any transaction. Not pool.query(): it ends a
 * connection whose statement failed, and a count that runs out of time would then cost a new
 * connection, whose first statements pay for its empty caches (measured: 20–60 ms). A statement
 * that failed on the server leaves a sound connection (its implicit transaction is rolled back):
 * only a broken connection is let go.
 */
export async function onConnection<T>(ds: DataSource, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const pool = (ds.driver as PostgresDriver).master as Pool;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await work(client);
  } catch (e) {
    if (!(e instanceof DatabaseError)) broken = e as Error;
    throw e;
  } finally {
    client.release(broken);
  }
}

const statementNames = new Map<string, string>();
const clientTags = new WeakMap<PoolClient, number>();
let clientsTagged = 0;

/**
 * A statement prepared once per connection (named after its text) and run with bound values, for
 * statements whose best plan does not depend on the values: PostgreSQL's plan cache then plans it
 * a few times and keeps the generic plan. TypeORM's `query()` sends an unnamed statement, planned
 * again on every call: 1 ms of a REST page's bugs with their lists, a third of a duplicate hint.
 * Outside any transaction, like onConnection. For a fixed few texts: each is prepared on every
 * connection that runs it, and kept there.
 */
export async function preparedQuery<R>(ds: DataSource, text: string, params: unknown[]): Promise<R[]> {
  let base = statementNames.get(text);
  if (!base) {
    base = `och_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, base);
  }
  return (
    await onConnection(ds, (client) => {
      // Named per connection too: the embedded PGlite (npm start without PostgreSQL) serves every
      // connection from one session, where a second connection preparing the same name failed.
      let tag = clientTags.get(client);
      if (tag === undefined) clientTags.set(client, (tag = ++clientsTagged));
      return client.query({ name: `${base}_${tag}`, text, values: params });
    })
  ).rows as R[];
}
