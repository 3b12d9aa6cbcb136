import { seedMirrors } from '../../database/seeds/mirrors.seed';
import { createTestDb, type TestDb } from '../../testing/test-db';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../database/data-source';

describe('mirror demo data', () => {
  let db: TestDb;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDb('mseed');
    ds = await new DataSource(dataSourceOptions(db.url)).initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('adds releases, images and mirrors with a week of history once, and nothing the second time', async () => {
    expect(await seedMirrors(ds)).toEqual({ releases: 4, mirrors: 8 });
    expect(await seedMirrors(ds)).toEqual({ releases: 0, mirrors: 0 });
    const [{ latest }] = await ds.query<{ latest: string }[]>(
      `SELECT string_agg(version, ',' ORDER BY version) AS latest FROM releases WHERE is_latest`,
    );
    expect(latest).toBe('23,9.2');
    const [{ probes }] = await ds.query<{ probes: number }[]>(`SELECT count(*)::int AS probes FROM mirror_probes`);
    expect(probes).toBe(8 * 84);
  });
});
