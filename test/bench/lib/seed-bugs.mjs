/**
 * The bug benchmark data set from the bench issue: N bugs (BENCH_BUGS, default 1,000,000), about
 * 70% English / 30% Chinese, Zipf-like word and package frequencies, ~3 comments per bug with a
 * long tail (the description is comment 0), ~60% closed, duplicate chains, ~1% private.
 *
 * All in SQL (generate_series + word arrays) in batches on two connections, because one
 * statement uses one core. Rows are generated into unlogged staging tables first so that each
 * bug's search_vector can be computed inline in the INSERT into `bugs` with the same expression
 * as och_bug_search_vector(), instead of a per-row UPDATE afterwards. The bugs' and comments'
 * secondary indexes are dropped during the load and re-created from their own definitions.
 *
 * Seeding 1M bugs takes minutes, so the data set is kept: `bench.seed_info` records what was
 * generated, and a database that already holds the same set is reused as it is.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';

import { CHINESE, ENGLISH, packageNames, userNames } from './bug-vocabulary.mjs';

/** Bump when the generated data changes shape, so old bench databases are re-seeded. */
const GENERATOR_VERSION = 4;
const BATCH = 50_000;
const USERS = 10_000;

const log = (msg) => console.log(`[bench] seed-bugs: ${msg}`);

export function benchBugCount(env = process.env) {
  const raw = env.BENCH_BUGS;
  if (raw === undefined || raw === '') return 1_000_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 100) throw new Error(`BENCH_BUGS must be an integer >= 100, got "${raw}"`);
  return n;
}

let seeded;

/**
 * Seeds (or reuses) the bug set in the scenario context's database; resolves to
 * { bugs, reused }. Uses its own three connections (two loaders and one for the steps between).
 */
export function seedBugs(ctx, bugs = benchBugCount()) {
  seeded ??= (async () => {
    const db = new pg.Pool({ connectionString: ctx.databaseUrl, max: 3 });
    try {
      return await run(db, ctx.repoRoot, bugs);
    } finally {
      await db.end();
    }
  })();
  return seeded;
}

async function run(db, repoRoot, n) {
  await db.query('CREATE SCHEMA IF NOT EXISTS bench');
  await db.query('CREATE TABLE IF NOT EXISTS bench.seed_info (key text PRIMARY KEY, value jsonb NOT NULL)');
  const {
    rows: [info],
  } = await db.query(`SELECT value FROM bench.seed_info WHERE key = 'bugs'`);
  const {
    rows: [{ count }],
  } = await db.query('SELECT count(*)::int AS count FROM bugs');
  if (info && info.value.bugs === n && info.value.version === GENERATOR_VERSION && count === n) {
    log(`reusing ${n.toLocaleString('en')} bugs seeded ${info.value.finishedAt} (took ${info.value.seconds} s)`);
    await analyzeUnanalyzed(db);
    return { bugs: n, reused: true };
  }
  const started = Date.now();
  const step = async (label, fn) => {
    const t = Date.now();
    const out = await fn();
    log(`${label} (${((Date.now() - t) / 1000).toFixed(1)} s, ${((Date.now() - started) / 1000).toFixed(0)} s total)`);
    return out;
  };
  log(`seeding ${n.toLocaleString('en')} bugs (had ${count.toLocaleString('en')}); this takes a while at 1M`);

  await step('cleared bug tables', () =>
    db.query(`TRUNCATE bugs, bug_comments, bug_aliases, bug_cc, bug_affects, bug_dependencies, bug_history,
                       bug_flags, bug_attachments, bug_comment_revisions, bug_term_stats, bug_search_pairs CASCADE`),
  );
  await step('users, SIGs, packages, products', () => seedReferenceData(db, repoRoot));
  const ref = await loadReferenceData(db);

  // Two connections: one per core. Session settings make the bulk load cheap: no FK triggers
  // (the generator only uses ids it has just read), no waiting for WAL flushes.
  const clients = [await db.connect(), await db.connect()];
  try {
    for (const c of clients) await prepareSession(c);
    await step('staging tables', () =>
      db.query(`
        DROP TABLE IF EXISTS bench.src_bugs, bench.src_comments;
        CREATE UNLOGGED TABLE bench.src_bugs (
          id int PRIMARY KEY, zh boolean NOT NULL, summary text NOT NULL, ncomm int NOT NULL,
          status text NOT NULL, resolution text, dupe_of int, is_private boolean NOT NULL,
          severity text NOT NULL, priority text NOT NULL, product_id int NOT NULL, version text NOT NULL,
          component_id int, package_id int, sig_id int, reporter_id int NOT NULL, assignee_id int,
          created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
        CREATE UNLOGGED TABLE bench.src_comments (
          bug_id int NOT NULL, count int NOT NULL, author_id int NOT NULL, body text NOT NULL,
          is_private boolean NOT NULL, created_at timestamptz NOT NULL);`),
    );
    const batches = [];
    for (let lo = 1; lo <= n; lo += BATCH) batches.push([lo, Math.min(n, lo + BATCH - 1)]);
    // Each batch seeds random() from its own range and step, whichever connection takes it, so
    // that every machine generates the same data set and bench runs compare across machines.
    let stepNo = 0;
    const inBatches = (label, sql, params) => {
      stepNo++;
      return step(label, () =>
        parallel(clients, batches, async (c, [lo, hi], done) => {
          await c.query('SELECT setseed($1)', [((lo * 7919 + stepNo * 104729) % 1_000_003) / 1_000_003]);
          await c.query(sql, [lo, hi, ...params(lo, hi)]);
          if (done % 4 === 0 || done === batches.length)
            log(`  ${label}: ${Math.min(n, done * BATCH).toLocaleString('en')} / ${n.toLocaleString('en')}`);
        }),
      );
    };

    await inBatches('generated bugs', GENERATE_BUGS_SQL, () => [
      n,
      ENGLISH,
      CHINESE,
      ref.packageIds,
      ref.packageNames,
      ref.packageSigs,
      ref.userIds,
      ref.products,
    ]);
    await step('duplicates re-worded from their originals', () =>
      db.query(
        `UPDATE bench.src_bugs d SET summary = left(CASE
            WHEN o.zh THEN o.summary || ($1::text[])[1 + (d.id % 40)]
            ELSE regexp_replace(o.summary, '\\s+\\S+$', '') || ' ' || ($2::text[])[1 + (d.id % 120)] END, 255)
           FROM bench.src_bugs o WHERE o.id = d.dupe_of`,
        [CHINESE, ENGLISH],
      ),
    );
    await inBatches('generated comments', GENERATE_COMMENTS_SQL, () => [ENGLISH, CHINESE, ref.userIds]);
    await step('indexed staging comments', () =>
      db.query('CREATE INDEX ON bench.src_comments (bug_id, count); ANALYZE bench.src_bugs, bench.src_comments'),
    );

    const dropped = await step('dropped secondary indexes for the load', () => dropSecondaryIndexes(db));
    await inBatches('inserted bugs with search vectors', INSERT_BUGS_SQL, () => []);
    await inBatches('inserted comments', INSERT_COMMENTS_SQL, () => []);
    // what the trigger on bugs.search_vector does, which session_replication_role = replica skips
    await inBatches(
      'adjacent-word pairs for phrase search',
      `INSERT INTO bug_search_pairs (bug_id, pairs) SELECT id, och_word_pairs(search_vector) FROM bugs WHERE id BETWEEN $1 AND $2`,
      () => [],
    );
    await step('aliases and CC', async () => {
      // the same aliases the search vectors above include (id % 200 = 7)
      await db.query(`INSERT INTO bug_aliases (alias, bug_id) SELECT 'OCS-' || id, id FROM bugs WHERE id % 200 = 7`);
      await db.query(
        `INSERT INTO bug_cc (bug_id, user_id)
         SELECT b.id, ($1::int[])[1 + (hashint4(b.id * 31 + k) & 2147483647) % cardinality($1::int[])]
           FROM bugs b, generate_series(1, 2) k WHERE (b.id + k) % 3 = 0
         ON CONFLICT DO NOTHING`,
        [ref.userIds],
      );
    });
    await step(`re-created ${dropped.length} indexes`, () => parallel(clients, dropped, (c, def) => c.query(def)));
    await step('identity sequences', () =>
      db.query(`SELECT setval(pg_get_serial_sequence('bugs', 'id'), (SELECT max(id) FROM bugs));
                SELECT setval(pg_get_serial_sequence('bug_comments', 'id'), (SELECT max(id) FROM bug_comments));`),
    );
  } finally {
    for (const c of clients) c.release();
  }
  await step('dropped staging tables', () => db.query('DROP TABLE bench.src_bugs, bench.src_comments'));
  await step('VACUUM ANALYZE', () =>
    db.query('VACUUM ANALYZE bugs, bug_comments, bug_aliases, bug_cc, bug_search_pairs'),
  );
  // The same statement as BugSearchService.refreshTermStats().
  await step('bug_term_stats', () =>
    db.query(`DELETE FROM bug_term_stats;
      INSERT INTO bug_term_stats (term, ndoc)
      SELECT word, ndoc FROM ts_stat('SELECT summary_vector FROM bugs WHERE summary_vector IS NOT NULL');
      ANALYZE bug_term_stats;`),
  );
  await step('ANALYZE the other tables', () => analyzeUnanalyzed(db));
  const seconds = Math.round((Date.now() - started) / 1000);
  await db.query(
    `INSERT INTO bench.seed_info (key, value) VALUES ('bugs', $1)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [{ bugs: n, version: GENERATOR_VERSION, seconds, finishedAt: new Date().toISOString() }],
  );
  const {
    rows: [stats],
  } = await db.query(`SELECT (SELECT count(*) FROM bug_comments)::int AS comments,
      (SELECT count(*) FROM bugs WHERE status IN ('RESOLVED', 'VERIFIED'))::int AS closed,
      (SELECT count(*) FROM bugs WHERE dupe_of_id IS NOT NULL)::int AS dupes,
      (SELECT count(*) FROM bugs WHERE is_private)::int AS private,
      pg_size_pretty(pg_total_relation_size('bugs') + pg_total_relation_size('bug_comments')) AS size`);
  log(
    `done in ${seconds} s: ${n.toLocaleString('en')} bugs, ${stats.comments.toLocaleString('en')} comments, ` +
      `${stats.closed.toLocaleString('en')} closed, ${stats.dupes.toLocaleString('en')} duplicates, ` +
      `${stats.private.toLocaleString('en')} private, ${stats.size} on disk`,
  );
  return { bugs: n, reused: false };
}

/**
 * Statistics for every table that has none yet (users, packages, SIGs, products…). A production
 * database has them from autovacuum; a machine that runs PostgreSQL with autovacuum off (as this
 * workplace's do) left `users` unanalyzed, and the planner, guessing 800 rows, read all 10,000 to
 * find a page's 100 people (1.5 ms per REST page) instead of using the primary key.
 */
async function analyzeUnanalyzed(db) {
  const { rows } = await db.query(
    `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
      WHERE last_analyze IS NULL AND last_autoanalyze IS NULL AND schemaname = 'public'`,
  );
  if (rows.length) await db.query(`ANALYZE ${rows.map((r) => r.name).join(', ')}`);
}

/** Runs `fn(client, item, doneCount)` over items, one item at a time per client. */
async function parallel(clients, items, fn) {
  let next = 0;
  let done = 0;
  await Promise.all(
    clients.map(async (c) => {
      while (next < items.length) {
        const item = items[next++];
        await fn(c, item, done + 1);
        done++;
      }
    }),
  );
}

async function prepareSession(c) {
  await c.query(`SET session_replication_role = replica; SET synchronous_commit = off; SET jit = off;
    SET work_mem = '256MB'; SET maintenance_work_mem = '1GB'; SET max_parallel_maintenance_workers = 1;
    SET max_parallel_workers_per_gather = 0`);
  // Zipf-like pick: rank r of n with weight ~1/r.
  await c.query(`CREATE FUNCTION pg_temp.zipf(n int) RETURNS int LANGUAGE sql VOLATILE AS
    $$ SELECT least(n, floor(pow(n + 1, random()))::int) $$`);
  await c.query(`CREATE FUNCTION pg_temp.en_words(v text[], k int) RETURNS text LANGUAGE sql VOLATILE AS
    $$ SELECT string_agg(v[pg_temp.zipf(cardinality(v))], ' ') FROM generate_series(1, k) $$`);
  // Chinese runs without spaces, with the odd English word (package, error name) in between.
  await c.query(`CREATE FUNCTION pg_temp.zh_words(zh text[], en text[], k int) RETURNS text LANGUAGE sql VOLATILE AS
    $$ SELECT string_agg(CASE WHEN random() < 0.12 THEN ' ' || en[pg_temp.zipf(cardinality(en))] || ' '
                              ELSE zh[pg_temp.zipf(cardinality(zh))] END, '') FROM generate_series(1, k) $$`);
}

async function seedReferenceData(db, repoRoot) {
  const users = userNames(USERS);
  await db.query(
    `INSERT INTO users (username, email, locale, email_verified_at)
     SELECT u, u || '@bench.invalid', CASE WHEN ord % 3 = 0 THEN 'en' ELSE 'zh-CN' END, now()
       FROM unnest($1::text[]) WITH ORDINALITY AS t(u, ord)
     ON CONFLICT DO NOTHING`,
    [users],
  );
  const sigs = [
    ['kernel', '内核', 'Kernel'],
    ['release', '发行', 'Release'],
    ['stream', 'Stream', 'Stream'],
    ['infrastructure', '基础设施', 'Infrastructure'],
    ['security', '安全', 'Security'],
    ['cloud-native', '云原生', 'Cloud Native'],
    ['desktop', '桌面', 'Desktop'],
    ['toolchain', '工具链', 'Toolchain'],
    ['storage', '存储', 'Storage'],
    ['network', '网络', 'Network'],
    ['virtualization', '虚拟化', 'Virtualization'],
    ['languages', '编程语言', 'Languages'],
  ];
  await db.query(
    `INSERT INTO sigs (slug, name_zh, name_en, description, status, approved_at)
     SELECT s[1], s[2] || '兴趣小组', s[3] || ' SIG', 'Bench SIG ' || s[3], 'active', now()
       FROM (SELECT ARRAY[a, b, c] AS s FROM unnest($1::text[], $2::text[], $3::text[]) AS t(a, b, c)) x
     ON CONFLICT DO NOTHING`,
    [sigs.map((s) => s[0]), sigs.map((s) => s[1]), sigs.map((s) => s[2])],
  );
  await db.query(
    `INSERT INTO packages (name, description, sig_id, branches)
     SELECT p, 'Package ' || p, (SELECT id FROM sigs WHERE slug = ($2::text[])[1 + ord % cardinality($2::text[])]),
            ARRAY['oc8', 'oc9']
       FROM unnest($1::text[]) WITH ORDINALITY AS t(p, ord)
     ON CONFLICT DO NOTHING`,
    [packageNames(2000), sigs.map((s) => s[0])],
  );
  // The products, versions and components of the demo seed, through its own code.
  const require = createRequire(import.meta.url);
  const { seedBugProducts } = require(join(repoRoot, 'api/dist/database/seeds/bugs.seed.js'));
  await seedBugProducts({ query: async (sql, params) => (await db.query(sql, params)).rows });
}

/** Ids in popularity order, and each product's versions and components, as SQL arrays. */
async function loadReferenceData(db) {
  const pkgNames = packageNames(2000);
  const { rows: pk } = await db.query(
    `SELECT p.id, p.name, p.sig_id FROM unnest($1::text[]) WITH ORDINALITY AS t(name, ord)
       JOIN packages p ON p.name = t.name ORDER BY t.ord`,
    [pkgNames],
  );
  const { rows: us } = await db.query(
    `SELECT u.id FROM unnest($1::text[]) WITH ORDINALITY AS t(name, ord)
       JOIN users u ON u.username = t.name ORDER BY t.ord`,
    [userNames(USERS)],
  );
  const { rows: products } = await db.query(
    `SELECT p.id, p.name,
            (SELECT array_agg(v.name ORDER BY v.sort_key) FROM bug_versions v WHERE v.product_id = p.id) AS versions,
            (SELECT array_agg(c.id ORDER BY c.id) FROM bug_components c WHERE c.product_id = p.id) AS components,
            (SELECT array_agg(c.sig_id ORDER BY c.id) FROM bug_components c WHERE c.product_id = p.id) AS component_sigs
       FROM bug_products p WHERE p.name IN ('OpenCloudOS', 'OpenCloudOS Stream', 'OpenCloudOS SIG') ORDER BY p.sort_key`,
  );
  if (products.length !== 3) throw new Error('seedBugProducts did not create the three demo products');
  return {
    packageIds: pk.map((r) => r.id),
    packageNames: pk.map((r) => r.name),
    packageSigs: pk.map((r) => r.sig_id),
    userIds: us.map((r) => r.id),
    // product k (1-based) as a JSON object, so one parameter carries all three
    products: JSON.stringify(products),
  };
}

/** Drops the non-unique secondary indexes of bugs, bug_comments and bug_search_pairs; returns their definitions. */
async function dropSecondaryIndexes(db) {
  const { rows } = await db.query(`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i
     WHERE i.indrelid IN ('bugs'::regclass, 'bug_comments'::regclass, 'bug_search_pairs'::regclass)
       AND NOT i.indisprimary AND NOT i.indisunique
     ORDER BY pg_relation_size(i.indexrelid) DESC`);
  for (const r of rows) await db.query(`DROP INDEX ${r.name}`);
  // Biggest (GIN) first, so the two connections finish at about the same time.
  return rows.map((r) => r.def);
}

// $1 lo, $2 hi, $3 total, $4 English, $5 Chinese, $6 package ids, $7 package names, $8 package SIGs,
// $9 user ids, $10 products JSON [{id, versions, components, component_sigs}] (OpenCloudOS, Stream, SIG).
const GENERATE_BUGS_SQL = `
INSERT INTO bench.src_bugs
SELECT g, r.zh,
       left(CASE WHEN r.zh
         THEN CASE WHEN r.pkg IS NULL THEN '' ELSE ($7::text[])[r.pkg] || ' ' END || pg_temp.zh_words($5, $4, 2 + (g % 3) + (r.u4 < 0.3)::int)
         ELSE CASE WHEN r.pkg IS NULL THEN '' ELSE ($7::text[])[r.pkg] || ': ' END || pg_temp.en_words($4, 4 + (g % 5) + (r.u4 < 0.3)::int * 2)
       END, 255),
       -- extra comments after the description: heavy-tailed, mean ~2 (so ~3 comments per bug)
       least(200, floor(pow(r.u5, -0.55) * 1.6) - 1)::int,
       r.status,
       CASE WHEN r.status IN ('RESOLVED', 'VERIFIED') THEN
         CASE WHEN r.u3 < 0.15 AND g > 2 THEN 'DUPLICATE' WHEN r.u3 < 0.70 THEN 'FIXED' WHEN r.u3 < 0.80 THEN 'INVALID'
              WHEN r.u3 < 0.90 THEN 'WONTFIX' ELSE 'WORKSFORME' END END,
       CASE WHEN r.status IN ('RESOLVED', 'VERIFIED') AND r.u3 < 0.15 AND g > 2
            THEN greatest(1, g - pg_temp.zipf(least(g - 1, 20000))) END,
       r.u4 > 0.99,
       CASE WHEN r.u6 < 0.01 THEN 'blocker' WHEN r.u6 < 0.07 THEN 'critical' WHEN r.u6 < 0.25 THEN 'major'
            WHEN r.u6 < 0.80 THEN 'normal' WHEN r.u6 < 0.90 THEN 'minor' WHEN r.u6 < 0.93 THEN 'trivial' ELSE 'enhancement' END,
       CASE WHEN r.u7 < 0.05 THEN 'P1' WHEN r.u7 < 0.20 THEN 'P2' WHEN r.u7 < 0.80 THEN 'P3' WHEN r.u7 < 0.95 THEN 'P4' ELSE 'P5' END,
       (r.prod->>'id')::int,
       r.prod->'versions'->>(g % jsonb_array_length(r.prod->'versions')),
       CASE WHEN r.pkg IS NULL THEN (r.prod->'components'->>(g % jsonb_array_length(r.prod->'components')))::int END,
       CASE WHEN r.pkg IS NOT NULL THEN ($6::int[])[r.pkg] END,
       CASE WHEN r.pkg IS NOT NULL THEN ($8::int[])[r.pkg]
            ELSE (r.prod->'component_sigs'->>(g % jsonb_array_length(r.prod->'components')))::int END,
       ($9::int[])[pg_temp.zipf(cardinality($9::int[]))],
       CASE WHEN r.status = 'UNCONFIRMED' AND r.u4 < 0.6 THEN NULL ELSE ($9::int[])[pg_temp.zipf(300)] END,
       r.created,
       r.created + (now() - r.created) * pow(r.u8, 4)
  FROM generate_series($1::int, $2::int) g
  CROSS JOIN LATERAL (
    SELECT x.*,
           x.st AS status,
           CASE WHEN x.pr = 3 OR x.u2 < 0.08 THEN NULL ELSE pg_temp.zipf(cardinality($6::int[])) END AS pkg,
           ($10::jsonb)->(x.pr - 1) AS prod,
           now() - interval '8 years' * (($3::int - g)::float8 / $3::int) - interval '1 hour' * x.u8 AS created
      FROM (SELECT random() < 0.3 + 0 * g AS zh, random() AS u2, random() AS u3, random() AS u4,
                   1 - random() AS u5, random() AS u6, random() AS u7, random() AS u8,
                   CASE WHEN random() < 0.85 THEN 1 WHEN random() < 0.66 THEN 2 ELSE 3 END AS pr,
                   (ARRAY['UNCONFIRMED', 'CONFIRMED', 'CONFIRMED', 'IN_PROGRESS', 'RESOLVED', 'RESOLVED', 'RESOLVED',
                          'RESOLVED', 'VERIFIED', 'VERIFIED'])[1 + floor(random() * 10)::int] AS st) x) r`;

// $1 lo, $2 hi, $3 English, $4 Chinese, $5 user ids
const GENERATE_COMMENTS_SQL = `
INSERT INTO bench.src_comments
SELECT b.id, k,
       CASE WHEN k = 0 THEN b.reporter_id ELSE ($5::int[])[pg_temp.zipf(cardinality($5::int[]))] END,
       CASE WHEN b.zh
         THEN pg_temp.zh_words($4, $3, 3 + floor(pow(25, random()))::int)
         ELSE pg_temp.en_words($3, 8 + floor(pow(60, random()))::int) END
         || CASE WHEN random() < 0.3 THEN ' 0x' || substr(md5(random()::text), 1, 8) ELSE '' END,
       k > 0 AND random() < 0.02,
       b.created_at + (b.updated_at - b.created_at) * (k::float8 / (b.ncomm + 1))
  FROM bench.src_bugs b, generate_series(0, b.ncomm) k
 WHERE b.id BETWEEN $1 AND $2`;

// The search vector exactly as och_bug_search_vector(id) computes it, from the staged rows.
const INSERT_BUGS_SQL = `
INSERT INTO bugs (id, product_id, version, component_id, package_id, sig_id, summary, status, resolution, dupe_of_id,
                  severity, priority, reporter_id, assignee_id, is_private, comment_count, heat, search_vector,
                  summary_vector, created_at, updated_at)
SELECT s.id, s.product_id, s.version, s.component_id, s.package_id, s.sig_id, s.summary, s.status, s.resolution,
       s.dupe_of, s.severity, s.priority, s.reporter_id, s.assignee_id, s.is_private, coalesce(c.n, 0),
       coalesce(c.n, 0) + CASE s.severity WHEN 'blocker' THEN 40 WHEN 'critical' THEN 30 WHEN 'major' THEN 15 ELSE 0 END
         + CASE WHEN s.is_private THEN 50 ELSE 0 END,
       setweight(to_tsvector('simple', och_cjk_split(s.summary || ' ' || CASE WHEN s.id % 200 = 7 THEN 'OCS-' || s.id ELSE '' END)), 'A')
         || setweight(to_tsvector('simple', och_cjk_split(left(coalesce(c.body, ''), 200000))), 'B'),
       to_tsvector('simple', och_cjk_split(s.summary || ' ' || CASE WHEN s.id % 200 = 7 THEN 'OCS-' || s.id ELSE '' END)),
       s.created_at, s.updated_at
  FROM bench.src_bugs s
  LEFT JOIN (SELECT bug_id, string_agg(body, E'\\n' ORDER BY count) FILTER (WHERE NOT is_private) AS body,
                    count(*) FILTER (WHERE count > 0 AND NOT is_private)::int AS n
               FROM bench.src_comments WHERE bug_id BETWEEN $1 AND $2 GROUP BY bug_id) c ON c.bug_id = s.id
 WHERE s.id BETWEEN $1 AND $2`;

const INSERT_COMMENTS_SQL = `
INSERT INTO bug_comments (bug_id, count, author_id, body, is_private, created_at)
SELECT bug_id, count, author_id, body, is_private, created_at FROM bench.src_comments
 WHERE bug_id BETWEEN $1 AND $2 ORDER BY bug_id, count`;
