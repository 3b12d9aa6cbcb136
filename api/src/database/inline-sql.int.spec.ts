import { Client } from 'pg';
import { createTestDb, type TestDb } from '../testing/test-db';
import { inlineParams } from './inline-sql';

describe('inlineParams', () => {
  let db: TestDb;
  let c: Client;

  beforeAll(async () => {
    db = await createTestDb('inline');
    c = new Client({ connectionString: db.url });
    await c.connect();
  });

  afterAll(async () => {
    await c.end();
    await db.drop();
  });

  /** The inlined statement and the bound one give the same row. */
  async function same(text: string, params: unknown[]) {
    const bound = await c.query(text, params);
    const inlined = await c.query(inlineParams(text, params));
    expect(inlined.rows).toEqual(bound.rows);
    return inlined.rows[0] as Record<string, unknown>;
  }

  it('gives hostile strings back unchanged, as a bound parameter would', async () => {
    const hostile = [
      `'; DROP TABLE users; --`,
      `\\'; SELECT 1; --`,
      `back\\slash and 'quote' and "double"`,
      `$1 $2 $$ $tag$ dollar`,
      `E'\\x41'`,
      '中文 内核崩溃 ✓',
      '',
    ];
    for (const s of hostile) expect((await same('SELECT $1::text AS v', [s])).v).toBe(s);
    // values are not scanned for placeholders again
    expect((await same('SELECT $1::text AS a, $2::text AS b', ['$2', 'x'])).a).toBe('$2');
  });

  it('takes the type from where the value stands, like $n', async () => {
    const row = await same(
      'SELECT $1::int + 1 AS n, $2::real AS r, $3::boolean AS b, $4::timestamptz AS t, 7 = $5 AS eq, $6::text || $7 || $8 || $9 AS pad, $10::text AS ten',
      [41, 0.5, true, new Date('2026-11-27T10:00:00.123Z'), 7, 'a', 'b', 'c', 'd', 'tenth'],
    );
    expect(row).toMatchObject({ n: 42, r: 0.5, b: true, eq: true, pad: 'abcd', ten: 'tenth' });
    expect((row.t as Date).toISOString()).toBe('2026-11-27T10:00:00.123Z');
  });

  it('writes arrays in PostgreSQL array syntax, quotes and NULLs included', async () => {
    const texts = ['a', 'b"c', 'd\\e', "f'g", '{h}', 'NULL', '', null];
    expect((await same('SELECT $1::text[] AS v', [texts])).v).toEqual(texts);
    expect((await same('SELECT 3 = ANY($1::int[]) AS v', [[1, 2, 3]])).v).toBe(true);
    expect((await same('SELECT cardinality($1::int[]) AS v', [[]])).v).toBe(0);
  });

  it('refuses what it cannot write faithfully', () => {
    expect(() => inlineParams('SELECT $2', ['only one'])).toThrow(/no value for \$2/);
    expect(() => inlineParams('SELECT $1', [Number.NaN])).toThrow(/finite/);
    expect(() => inlineParams('SELECT $1', [{ a: 1 }])).toThrow(/cannot inline/);
    expect(() => inlineParams('SELECT $1', ['a\u0000b'])).toThrow(/NUL/);
    expect(() => inlineParams('SELECT $1', [['a', 'b\u0000']])).toThrow(/NUL/);
  });
});
