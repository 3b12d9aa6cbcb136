import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { OPENAPI_FILE, generateOpenApi } from '../cli';
import { createTestDb, TestDb } from '../testing/test-db';
import { dataSourceOptions, schemaDrift } from './data-source';

describe('schema and contract stay in step with the code', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb('schema');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('has migrations that produce exactly what the entities describe', async () => {
    expect(await schemaDrift(db.url)).toEqual([]);
  });

  it('can roll every migration back to an empty schema', async () => {
    const ds = await new DataSource(dataSourceOptions(db.url)).initialize();
    try {
      const count = (await ds.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM typeorm_migrations`))[0].n;
      for (let i = 0; i < Number(count); i++) await ds.undoLastMigration();
      const tables = await ds.query<Array<{ tablename: string }>>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations'`,
      );
      expect(tables).toEqual([]);
      await ds.runMigrations();
    } finally {
      await ds.destroy();
    }
    expect(await schemaDrift(db.url)).toEqual([]);
  });

  it('says which bug product names differ only in case before making names unique ignoring case', async () => {
    const ds = await new DataSource(dataSourceOptions(db.url)).initialize();
    try {
      const last = async () =>
        (await ds.query<{ name: string }[]>(`SELECT name FROM typeorm_migrations ORDER BY id DESC LIMIT 1`))[0].name;
      // back to just before BugNamesIgnoreCase
      for (let guard = 0; guard < 50; guard++) {
        const name = await last();
        await ds.undoLastMigration();
        if (name === 'BugNamesIgnoreCase1764740000000') break;
      }
      await ds.query(`INSERT INTO bug_products (name) VALUES ('Clash'), ('clash')`);
      await expect(ds.runMigrations()).rejects.toThrow(/product "Clash" \/ "clash"/);
      await ds.query(`DELETE FROM bug_products WHERE name = 'clash'`);
      await ds.runMigrations();
      const unique = await ds.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'uq_bug_products_name_lower'`);
      expect(unique).toHaveLength(1);
    } finally {
      await ds.destroy();
    }
    expect(await schemaDrift(db.url)).toEqual([]);
  });

  it('has a committed OpenAPI document equal to the one generated from the controllers', async () => {
    const generated = await generateOpenApi();
    expect(JSON.parse(generated)).toEqual(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')));
  });
});
