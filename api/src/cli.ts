import 'reflect-metadata';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { DataSource } from 'typeorm';
import { buildOpenApi, createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';
import { dataSourceOptions, ensureDatabase, runMigrations, schemaDrift } from './database/data-source';
import { seedDemo } from './database/seeds/demo.seed';
import { seedSigs } from './database/seeds/sigs.seed';
import { seedBugs } from './database/seeds/bugs.seed';
import { seedGovernance } from './database/seeds/governance.seed';
import { BallotKeys } from './modules/governance/ballot-keys';
import { exportSigs, type ImportFile, type ImportReport, runImport } from './modules/sigs/sig-import';
import { bugzillaImportCommand } from './modules/bugzilla-import/bugzilla-import.command';

const HELP = `OpenCloudOS Hub command line

  db:create        create the database in DATABASE_URL if it is missing
  db:migrate       create the database if needed and apply pending migrations
  db:seed          load the demo data (idempotent; DEMO_PASSWORD, default "opencloudos-demo")
  db:drift         print SQL needed to make the schema match the entities (exit 1 if any)
  sigs:import PATH [--dry-run]
                   import sig-info.yaml / packages.yaml files (a file, or a directory searched for
                   packages.yaml and */sig-info.yaml); prints the changes or the problems (exit 1)
  sigs:export DIR  write packages.yaml and sig/<slug>/sig-info.yaml under DIR
  bugs:import-bugzilla <base-url> [--api-key KEY] [--product NAME …] [--dry-run] [--since ISO]
                   import products, bugs, comments and history from a Bugzilla 5 REST API (re-runnable)
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

/** A file as given, or a directory's packages.yaml and every sig-info.yaml below it. */
export function readImportFiles(path: string): ImportFile[] {
  if (!statSync(path).isDirectory()) return [{ name: path, content: readFileSync(path, 'utf8') }];
  const out: ImportFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.')) walk(full);
      else if (entry.isFile() && (entry.name === 'sig-info.yaml' || (entry.name === 'packages.yaml' && dir === path))) {
        out.push({ name: relative(path, full), content: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(path);
  return out;
}

function printImportReport(r: ImportReport): void {
  for (const p of r.problems) console.log(`problem  ${p.file}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
  for (const w of r.warnings) console.log(`warning  ${w.file}${w.path ? ` ${w.path}` : ''}: ${w.message}`);
  for (const c of r.changes) console.log(`${c.kind.padEnd(15)} ${c.target} ${JSON.stringify(c.details)}`);
  const verdict = !r.valid
    ? `${r.problems.length} problem(s): nothing applied`
    : r.applied
      ? `applied ${r.changes.length} change(s)`
      : r.dryRun
        ? `dry run: ${r.changes.length} change(s) would be applied`
        : 'nothing to change';
  console.log(`${r.summary.sigs} SIG(s), ${r.summary.packages} package(s); ${verdict}`);
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
        const password = process.env.DEMO_PASSWORD || 'opencloudos-demo';
        const { created } = await seedDemo(ds, password);
        console.log(created.length ? `demo users created: ${created.join(', ')}` : 'demo data: already present');
        const sigs = await seedSigs(ds, password);
        if (sigs.users.length || sigs.sigs.length || sigs.packages) {
          console.log(
            `demo SIGs: ${sigs.sigs.length} SIG(s), ${sigs.packages} package(s), ${sigs.users.length} user(s) added`,
          );
        }
        const bugs = await seedBugs(ds);
        if (bugs.bugs) console.log(`demo bugs: ${bugs.bugs} added`);
        const keys = new BallotKeys(config);
        const gov = await seedGovernance(ds, (proposalId, userId) => keys.ballotKey(proposalId, userId));
        if (gov.proposals) console.log(`demo governance: ${gov.proposals} proposal(s) added`);
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
    case 'sigs:import': {
      const path = argv.slice(1).find((a) => !a.startsWith('--'));
      if (!path) {
        console.log(HELP);
        return 2;
      }
      const ds = new DataSource(dataSourceOptions(config.databaseUrl));
      await ds.initialize();
      try {
        const report = await runImport(ds, readImportFiles(path), {
          dryRun: argv.includes('--dry-run'),
          actorId: null,
        });
        printImportReport(report);
        return report.valid ? 0 : 1;
      } finally {
        await ds.destroy();
      }
    }
    case 'sigs:export': {
      const dir = argv[1];
      if (!dir) {
        console.log(HELP);
        return 2;
      }
      const ds = new DataSource(dataSourceOptions(config.databaseUrl));
      await ds.initialize();
      try {
        const files = await exportSigs(ds.manager);
        for (const f of files) {
          mkdirSync(dirname(join(dir, f.name)), { recursive: true });
          writeFileSync(join(dir, f.name), f.content);
        }
        console.log(`wrote ${files.length} file(s) under ${dir}`);
      } finally {
        await ds.destroy();
      }
      return 0;
    }
    case 'bugs:import-bugzilla':
      return bugzillaImportCommand(argv.slice(1), () =>
        new DataSource(dataSourceOptions(config.databaseUrl)).initialize(),
      );
    case 'openapi:print': {
      const doc = await generateOpenApi();
      // stdout to a pipe is asynchronous: exiting before it drains cut the document at 256 KiB
      await new Promise<void>((resolve, reject) => process.stdout.write(doc, (err) => (err ? reject(err) : resolve())));
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
