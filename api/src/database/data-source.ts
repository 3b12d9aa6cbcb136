import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DEFAULT_DB_STARTUP_OPTIONS } from '../config/config';
import { ENTITIES } from './entities';

export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    // compiled .js in dist, .ts under jest
    migrations: [join(__dirname, 'migrations', `*.${__filename.endsWith('.ts') ? 'ts' : 'js'}`)],
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    migrationsRun: false,
    // failed queries surface as errors through the problem filter and the logs; expected ones
    // (a unique violation on a registration race) are not noise worth printing
    logging: false,
    // (no JIT, no parallel workers: see DEFAULT_DB_STARTUP_OPTIONS). The options have their own
    // variable: the embedded PGlite takes none (npm start clears them), and tying them to
    // DB_POOL_MAX, as before, dropped them for anyone who sized the pool.
    extra: {
      max: Number(process.env.DB_POOL_MAX ?? 20),
      options: (process.env.DB_STARTUP_OPTIONS ?? DEFAULT_DB_STARTUP_OPTIONS) || undefined,
    },
    ...extra,
  } as DataSourceOptions;
}

/** Creates the database named in the URL if it does not exist (connecting to `postgres`). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`refusing odd database name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  } finally {
    await client.end();
  }
}

export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

/** SQL TypeORM would run to make the schema match the entities: empty when migrations agree. */
export async function schemaDrift(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    const log = await ds.driver.createSchemaBuilder().log();
    return log.upQueries.map((q) => q.query);
  } finally {
    await ds.destroy();
  }
}
