import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildOpenApi, createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';
import { dataSourceOptions, ensureDatabase, runMigrations, schemaDrift } from './database/data-source';
import { seedDemo } from './database/seeds/demo.seed';

const HELP = `OpenCloudOS Hub command line

  db:create        create the database in DATABASE_URL if it is missing
  db:migrate       create the database if needed and apply pending migrations
  db:seed          load the demo data (idempotent; DEMO_PASSWORD, default "opencloudos-demo")
  db:drift         print SQL needed to make the schema match the entities (exit 1 if any)
  openapi:write    write api/openapi.json from the controllers
  openapi:print    print the OpenAPI document generated from the controllers
`;

export const OPENAPI_FILE = join(__dirname, '..', 'openapi.json');

/** Stable key order and a trailing newline, so the committed file only changes when the API does. */
export function serializeOpenApi(doc: unknown): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

export async function generateOpenApi(): Promise<string> {
  const config = { ...loadConfig({ ...process.env, WEB_MODE: 'off', LOG_LEVEL: 'silent' }) };
  const app = await createApp(config, { logger: false, offline: true });
  try {
    return serializeOpenApi(buildOpenApi(app));
  } finally {
    await app.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [cmd] = argv;
  const config = loadConfig();
  switch (cmd) {
    case 'db:create': {
      const made = await ensureDatabase(config.databaseUrl);
      console.log(made ? 'database created' : 'database exists');
      return 0;
    }
    case 'db:migrate': {
      await ensureDatabase(config.databaseUrl);
      const done = await runMigrations(config.databaseUrl);
      console.log(done.length ? `applied: ${done.join(', ')}` : 'migrations: up to date');
      return 0;
    }
    case 'db:seed': {
      const ds = new DataSource(dataSourceOptions(config.databaseUrl));
      await ds.initialize();
      try {
        const { created } = await seedDemo(ds, process.env.DEMO_PASSWORD || 'opencloudos-demo');
        console.log(created.length ? `demo users created: ${created.join(', ')}` : 'demo data: already present');
      } finally {
        await ds.destroy();
      }
      return 0;
    }
    case 'db:drift': {
      const sql = await schemaDrift(config.databaseUrl);
      for (const q of sql) console.log(`${q};`);
      return sql.length ? 1 : 0;
    }
    case 'openapi:print': {
      process.stdout.write(await generateOpenApi());
      return 0;
    }
    case 'openapi:write': {
      writeFileSync(OPENAPI_FILE, await generateOpenApi());
      console.log(`wrote ${OPENAPI_FILE}`);
      return 0;
    }
    default:
      console.log(HELP);
      return cmd && cmd !== 'help' ? 2 : 0;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
      process.exit(1);
    },
  );
}
