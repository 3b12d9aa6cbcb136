import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { DataSource } from 'typeorm';
import { preparedQuery } from './pool-queries';

/**
 * Prepared statements on the embedded PGlite that `npm start` runs without PostgreSQL: its socket
 * server puts every connection into one session, where statement names must still not clash.
 */
describe('prepared statements on the embedded PGlite', () => {
  let pglite: ChildProcess;
  let ds: DataSource;

  beforeAll(async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as { port: number };
        s.close(() => resolve(p));
      });
    });
    // (a child process: PGlite is an ES module, which this CommonJS test cannot import)
    pglite = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { PGlite } = await import('@electric-sql/pglite');
         const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
         const db = await PGlite.create();
         await new PGLiteSocketServer({ db, port: ${port}, host: '127.0.0.1', maxConnections: 10 }).start();
         console.log('ready');`,
      ],
      { cwd: __dirname, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      pglite.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      pglite.on('exit', (code) => reject(new Error(`PGlite exited with ${code}`)));
    });
    ds = await new DataSource({
      type: 'postgres',
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      extra: { max: 3 },
    }).initialize();
  }, 60_000);

  afterAll(async () => {
    await ds?.destroy();
    pglite?.kill();
  });

  it('runs the same statement on several connections at once', async () => {
    const text = 'SELECT $1::int + 1 AS n';
    // concurrent calls take several pool connections, each preparing the statement
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => preparedQuery<{ n: number }>(ds, text, [i])));
    expect(results.map((r) => r[0].n)).toEqual([2, 3, 4, 5, 6, 7]);
    const [{ prepared }] = await preparedQuery<{ prepared: number }>(
      ds,
      `SELECT count(*)::int AS prepared FROM pg_prepared_statements WHERE statement = $1`,
      [text],
    );
    expect(prepared).toBeGreaterThan(1);
  });
});
