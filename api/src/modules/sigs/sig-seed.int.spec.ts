import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../database/data-source';
import { seedDemo } from '../../database/seeds/demo.seed';
import { DEMO_SIGS, seedSigs } from '../../database/seeds/sigs.seed';
import { createTestDb, TestDb } from '../../testing/test-db';
import { exportSigs, runImport } from './sig-import';

describe('the demo SIG seed', () => {
  let db: TestDb;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDb('sigseed');
    ds = await new DataSource(dataSourceOptions(db.url)).initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('loads the OpenCloudOS SIGs with a few hundred packages, and adds nothing the second time', async () => {
    await seedDemo(ds, 'demo-password-1');
    const first = await seedSigs(ds, 'demo-password-1');
    expect(first.sigs).toEqual(expect.arrayContaining(['kernel', 'security-response', 'default', 'deprecated']));
    expect(first.packages).toBeGreaterThanOrEqual(300);
    expect(first.packages).toBe(DEMO_SIGS.reduce((n, s) => n + s.packages.length, 0));
    const again = await seedSigs(ds, 'demo-password-1');
    expect(again).toEqual({ users: [], sigs: [], packages: 0 });
    const [{ n }] = await ds.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM sigs s WHERE s.status = 'active' AND NOT EXISTS
         (SELECT 1 FROM sig_memberships m WHERE m.sig_id = s.id AND m.role = 'lead')`,
    );
    expect(Number(n)).toBe(0);
  });

  it('exports files that import back without a single change', async () => {
    const files = await exportSigs(ds.manager);
    const report = await runImport(ds, files, { dryRun: true, actorId: null });
    expect(report).toMatchObject({ valid: true, problems: [], changes: [] });
    expect(report.summary.sigs).toBe(DEMO_SIGS.length);
  });
});
