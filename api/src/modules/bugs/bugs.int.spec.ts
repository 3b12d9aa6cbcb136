import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { fileBug, makeBugProducts, queuedMails } from '../../testing/bugs';
import { login, Login, makeUser, MadeUser } from '../../testing/factories';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import type { SigEntity } from '../sigs/sig.entity';

describe('bug tracker', () => {
  let t: TestApp;
  let dataDir: string;
  let sig: SigEntity;
  let pkgName: string;
  let lead: MadeUser;
  let reporter: MadeUser;
  let stranger: MadeUser;
  let triager: MadeUser;
  let sLead: Login;
  let sReporter: Login;
  let sStranger: Login;
  let sTriager: Login;
  const call = (who: Login | null, method: Parameters<typeof as>[2], path: string, body?: object) =>
    as(t.baseUrl, who, method, path, body);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'och-bugs-'));
    t = await startTestApp({ DATA_DIR: dataDir, ATTACHMENT_MAX_BYTES: '2048' });
    [lead, reporter, stranger, triager] = await Promise.all([
      makeUser(t.ds),
      makeUser(t.ds),
      makeUser(t.ds),
      makeUser(t.ds, { roles: ['triager'] }),
    ]);
    sig = await makeSig(t.ds, { members: [[lead.user.id, 'lead']] });
    await t.ds.query(`UPDATE sigs SET bug_default_assignee_id = $1 WHERE id = $2`, [lead.user.id, sig.id]);
    pkgName = (await makePackage(t.ds, sig.id)).name;
    await makeBugProducts(t.ds);
    [sLead, sReporter, sStranger, sTriager] = await Promise.all(
      [lead, reporter, stranger, triager].map((u) => login(t.baseUrl, u.user.username)),
    );
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('routes a bug filed against a package to the owning SIG and its default assignee', async () => {
    const id = await fileBug(t.baseUrl, sReporter, { component: pkgName, summary: 'nvme timeout on resume' });
    const res = await call(null, 'get', `/api/v1/bugs/${id}`).expect(200);
    expect(res.body).toMatchObject({
      id,
      status: 'UNCONFIRMED',
      product: 'OpenCloudOS',
      component: pkgName,
      package: pkgName,
      sig: { slug: sig.slug },
      assignee: lead.user.username,
      reporter: reporter.user.username,
      comments: [{ count: 0, body: 'Steps to reproduce: boot.' }],
    });
    expect(res.body.permissions).toMatchObject({ canComment: false, canEdit: false, transitions: [] });
    const queue = await call(null, 'get', `/api/v1/sigs/${sig.slug}/triage`).expect(200);
    expect(queue.body.items.map((b: { id: number }) => b.id)).toContain(id);
  });

  it("lets a lead choose the SIG's default assignee among its members", async () => {
    const member = await makeUser(t.ds);
    const own = await makeSig(t.ds, {
      members: [
        [lead.user.id, 'lead'],
        [member.user.id, 'member'],
      ],
    });
    const pkg = await makePackage(t.ds, own.id);
    const notMember = await call(sLead, 'patch', `/api/v1/sigs/${own.slug}`, {
      bugDefaultAssignee: stranger.user.username,
    }).expect(400);
    expect(notMember.body.code).toBe('not_a_member');
    await call(sStranger, 'patch', `/api/v1/sigs/${own.slug}`, { bugDefaultAssignee: member.user.username }).expect(
      403,
    );
    const res = await call(sLead, 'patch', `/api/v1/sigs/${own.slug}`, {
      bugDefaultAssignee: member.user.username,
    }).expect(200);
    expect(res.body.bugDefaultAssignee).toMatchObject({ username: member.user.username });
    const id = await fileBug(t.baseUrl, sReporter, { component: pkg.name });
    expect((await call(null, 'get', `/api/v1/bugs/${id}`).expect(200)).body.assignee).toBe(member.user.username);
  });

  it('files as CONFIRMED when a member of the owning SIG reports it', async () => {
    const id = await fileBug(t.baseUrl, sLead, { component: pkgName });
    const res = await call(sLead, 'get', `/api/v1/bugs/${id}`).expect(200);
    expect(res.body.status).toBe('CONFIRMED');
  });

  it('answers unknown products, versions and components with a clear 400', async () => {
    const base = { product: 'OpenCloudOS', version: '9.2', component: pkgName, summary: 's', description: 'd' };
    const cases: [object, string][] = [
      [{ ...base, product: 'Nope' }, 'unknown_product'],
      [{ ...base, version: '1.0' }, 'unknown_version'],
      [{ ...base, component: 'no-such-package' }, 'unknown_component'],
    ];
    for (const [body, code] of cases) {
      const res = await call(sReporter, 'post', '/api/v1/bugs', body).expect(400);
      expect(res.body.code).toBe(code);
    }
    const bad = await call(sReporter, 'post', '/api/v1/bugs', { ...base, severity: 'huge', extra: 1 }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'severity']);
    await call(null, 'post', '/api/v1/bugs', base).expect(401);
  });

  it('takes component names as typed, in any case', async () => {
    const base = { product: 'OpenCloudOS', version: '9.2', summary: 'typed in capitals', description: 'd' };
    const general = await call(sReporter, 'post', '/api/v1/bugs', { ...base, component: 'gEnErAl' }).expect(201);
    expect((await call(sReporter, 'get', `/api/v1/bugs/${general.body.id}`).expect(200)).body.component).toBe(
      'General',
    );
    const pkg = await call(sReporter, 'post', '/api/v1/bugs', { ...base, component: pkgName.toUpperCase() }).expect(
      201,
    );
    expect((await call(sReporter, 'get', `/api/v1/bugs/${pkg.body.id}`).expect(200)).body.component).toBe(pkgName);
  });

  it('enforces the workflow per role and records every change in the history', async () => {
    const id = await fileBug(t.baseUrl, sReporter, { component: pkgName });
    // a stranger may comment but not confirm; the reporter may not confirm either
    await call(sStranger, 'patch', `/api/v1/bugs/${id}`, { status: 'CONFIRMED' }).expect(403);
    await call(sReporter, 'patch', `/api/v1/bugs/${id}`, { status: 'CONFIRMED' }).expect(403);
    await call(sStranger, 'patch', `/api/v1/bugs/${id}`, { severity: 'blocker' }).expect(403);
    await call(sTriager, 'patch', `/api/v1/bugs/${id}`, { status: 'CONFIRMED', priority: 'P1' }).expect(200);
    await call(sLead, 'patch', `/api/v1/bugs/${id}`, { status: 'IN_PROGRESS' }).expect(200);
    const noRes = await call(sLead, 'patch', `/api/v1/bugs/${id}`, { status: 'RESOLVED' }).expect(400);
    expect(noRes.body.code).toBe('resolution_required');
    await call(sLead, 'patch', `/api/v1/bugs/${id}`, { status: 'RESOLVED', resolution: 'FIXED' }).expect(200);
    // the reporter verifies, then reopens
    await call(sReporter, 'patch', `/api/v1/bugs/${id}`, { status: 'VERIFIED' }).expect(200);
    const reopened = await call(sReporter, 'patch', `/api/v1/bugs/${id}`, { status: 'CONFIRMED' }).expect(200);
    expect(reopened.body).toMatchObject({ status: 'CONFIRMED', resolution: null });
    const history = await call(null, 'get', `/api/v1/bugs/${id}/history`).expect(200);
    expect(
      history.body.map((h: { field: string; removed: string; added: string }) => [h.field, h.removed, h.added]),
    ).toEqual([
      ['priority', 'P3', 'P1'],
      ['status', 'UNCONFIRMED', 'CONFIRMED'],
      ['status', 'CONFIRMED', 'IN_PROGRESS'],
      ['status', 'IN_PROGRESS', 'RESOLVED'],
      ['resolution', '', 'FIXED'],
      ['status', 'RESOLVED', 'VERIFIED'],
      ['status', 'VERIFIED', 'CONFIRMED'],
      ['resolution', 'FIXED', ''],
    ]);
    expect(history.body[0].who).toBe(triager.user.username);
  });

  it('resolves duplicates to the end of the chain and needs the original', async () => {
    const a = await fileBug(t.baseUrl, sReporter, { component: pkgName });
    const b = await fileBug(t.baseUrl, sStranger, { component: pkgName });
    const c = await fileBug(t.baseUrl, sStranger, { component: pkgName });
    const missing = await call(sLead, 'patch', `/api/v1/bugs/${b}`, {
      status: 'RESOLVED',
      resolution: 'DUPLICATE',
    }).expect(400);
    expect(missing.body.code).toBe('duplicate_needs_original');
    await call(sLead, 'patch', `/api/v1/bugs/${b}`, { dupeOf: a }).expect(200);
    // c marked a duplicate of b lands on a, the original
    const res = await call(sLead, 'patch', `/api/v1/bugs/${c}`, { dupeOf: b }).expect(200);
    expect(res.body).toMatchObject({ status: 'RESOLVED', resolution: 'DUPLICATE', dupeOf: a });
    // and a can't become a duplicate of its own duplicate
    const loop = await call(sLead, 'patch', `/api/v1/bugs/${a}`, { dupeOf: c }).expect(400);
    expect(loop.body.code).toBe('duplicate_cycle');
    const original = await call(null, 'get', `/api/v1/bugs/${a}`).expect(200);
    expect(original.body.duplicates).toEqual([b, c]);
    expect(original.body.cc).toContain(stranger.user.username);
  });

  it('records a CC change only when the list really changes', async () => {
    const id = await fileBug(t.baseUrl, sReporter, { component: pkgName });
    await call(sStranger, 'patch', `/api/v1/bugs/${id}`, { cc: { add: [stranger.user.username] } }).expect(200);
    await call(sStranger, 'patch', `/api/v1/bugs/${id}`, { cc: { add: [stranger.user.username] } }).expect(200);
    await call(sStranger, 'patch', `/api/v1/bugs/${id}`, { cc: { remove: [stranger.user.username] } }).expect(200);
    const history = await call(null, 'get', `/api/v1/bugs/${id}/history`).expect(200);
    expect(
      history.body.map((h: { field: string; removed: string; added: string }) => [h.field, h.removed, h.added]),
    ).toEqual([
      ['cc', '', stranger.user.username],
      ['cc', stranger.user.username, ''],
    ]);
  });

  it('refuses dependency cycles', async () => {
    const [a, b, c] = [
      await fileBug(t.baseUrl, sLead, { component: pkgName }),
      await fileBug(t.baseUrl, sLead, { component: pkgName }),
      await fileBug(t.baseUrl, sLead, { component: pkgName }),
    ];
    await call(sLead, 'patch', `/api/v1/bugs/${a}`, { dependsOn: [b] }).expect(200);
    await call(sLead, 'patch', `/api/v1/bugs/${b}`, { dependsOn: [c] }).expect(200);
    const cyc = await call(sLead, 'patch', `/api/v1/bugs/${c}`, { dependsOn: [a] }).expect(400);
    expect(cyc.body.code).toBe('dependency_cycle');
    const bug = await call(null, 'get', `/api/v1/bugs/${b}`).expect(200);
    expect(bug.body).toMatchObject({ dependsOn: [c], blocks: [a] });
  });

  it('moves open bugs to the new SIG when their package is transferred', async () => {
    const leadB = await makeUser(t.ds);
    const sigB = await makeSig(t.ds, { members: [[leadB.user.id, 'lead']] });
    const pkg = await makePackage(t.ds, sig.id);
    const open = await fileBug(t.baseUrl, sReporter, { component: pkg.name });
    const closed = await fileBug(t.baseUrl, sReporter, { component: pkg.name });
    await call(sLead, 'patch', `/api/v1/bugs/${closed}`, { status: 'RESOLVED', resolution: 'WONTFIX' }).expect(200);
    const sLeadB = await login(t.baseUrl, leadB.user.username);
    const tr = await call(sLead, 'post', `/api/v1/packages/${pkg.name}/transfers`, {
      toSig: sigB.slug,
      reason: 'moving',
    }).expect(201);
    await call(sLeadB, 'post', `/api/v1/packages/${pkg.name}/transfers/${tr.body.id}/approve`).expect(200);
    expect((await call(null, 'get', `/api/v1/bugs/${open}`).expect(200)).body.sig.slug).toBe(sigB.slug);
    expect((await call(null, 'get', `/api/v1/bugs/${closed}`).expect(200)).body.sig.slug).toBe(sig.slug);
    const history = await call(null, 'get', `/api/v1/bugs/${open}/history`).expect(200);
    expect(history.body.at(-1)).toMatchObject({ field: 'sig', removed: sig.slug, added: sigB.slug });
  });

  it('finds bugs by Chinese and English words, quicksearch fields and substrings', async () => {
    const zh = await fileBug(t.baseUrl, sReporter, {
      component: pkgName,
      summary: '安装程序在 UEFI 模式下无法识别磁盘',
      description: '使用 everything 镜像引导后崩溃',
    });
    const en = await fileBug(t.baseUrl, sReporter, {
      component: pkgName,
      summary: 'kernel panic when hotplugging memory',
    });
    const search = async (q: string) =>
      (await call(null, 'get', `/api/v1/bugs?q=${encodeURIComponent(q)}`).expect(200)).body as {
        items: { id: number }[];
        total: { value: number };
      };
    expect((await search('识别磁盘')).items.map((b) => b.id)).toEqual([zh]);
    expect((await search('镜像引导')).items.map((b) => b.id)).toEqual([zh]); // from the description
    expect((await search('磁')).items.map((b) => b.id)).toEqual([zh]); // a single character
    expect((await search('识盘')).items).toEqual([]); // bigrams are adjacent, not a bag of characters
    expect((await search('"kernel panic"')).items.map((b) => b.id)).toEqual([en]);
    expect((await search('hotplug')).items.map((b) => b.id)).toEqual([en]); // substring of the summary
    expect((await search(`panic component:${pkgName} @${lead.user.username}`)).items.map((b) => b.id)).toEqual([en]);
    expect((await search('panic -hotplugging')).items).toEqual([]);
    // ranked by relevance, with the terms' queries kept from the searches above
    const ranked = async (q: string) =>
      (
        (await call(null, 'get', `/api/v1/bugs?q=${encodeURIComponent(q)}&sort=relevance`).expect(200)).body as {
          items: { id: number }[];
        }
      ).items.map((b) => b.id);
    expect(await ranked('识别磁盘')).toEqual([zh]);
    expect(await ranked('磁')).toEqual([zh]);
    expect(await ranked('hotplug')).toEqual([en]);
    expect(await ranked('kernel panic')).toEqual([en]);
    expect(await ranked('"panic kernel"')).toEqual([]);
    expect(await ranked('panic -hotplugging')).toEqual([]);
    const total = await search(`component:${pkgName}`);
    expect(total.total.value).toBe(total.items.length);
    // closed bugs only when asked for
    await call(sLead, 'patch', `/api/v1/bugs/${en}`, { status: 'RESOLVED', resolution: 'FIXED' }).expect(200);
    expect((await search('"kernel panic"')).items).toEqual([]);
    expect((await search('"kernel panic" FIXED')).items.map((b) => b.id)).toEqual([en]);
  });

  it('finds phrases through their word pairs, kept current for new comments, and never in hidden bugs', async () => {
    const search = async (q: string, extra = '') =>
      (await call(null, 'get', `/api/v1/bugs?q=${encodeURIComponent(q)}${extra}`).expect(200)).body as {
        items: { id: number }[];
        total: { value: number; estimated: boolean };
      };
    const id = await fileBug(t.baseUrl, sReporter, { component: pkgName, summary: 'zzpair gadget stalls' });
    expect((await search('"zzpair frobnicator overheats"')).items).toEqual([]);
    // the pairs come from the trigger on search_vector: a comment added later is searchable at once
    await call(sLead, 'post', `/api/v1/bugs/${id}/comments`, { body: 'the zzpair frobnicator overheats' }).expect(201);
    const [pairs] = await t.ds.query(`SELECT pairs::text AS p FROM bug_search_pairs WHERE bug_id = $1`, [id]);
    expect(pairs.p).toContain("'zzpair frobnicator'");
    expect((await search('"zzpair frobnicator overheats"')).items.map((b) => b.id)).toEqual([id]);
    expect((await search('"zzpair frobnicator overheats"', '&sort=relevance')).items.map((b) => b.id)).toEqual([id]);
    // the pairs are only a necessary condition: the words must also be adjacent in this order
    expect((await search('"overheats frobnicator"')).items).toEqual([]);
    expect((await search('"frobnicator zzpair"')).items).toEqual([]);
    // a private bug with the same phrase stays invisible to a visitor
    const hidden = await fileBug(t.baseUrl, sReporter, {
      component: pkgName,
      summary: 'zzpair frobnicator overheats in secret',
      isPrivate: true,
    });
    expect((await search('"zzpair frobnicator"')).items.map((b) => b.id)).toEqual([id]);
    const own = await call(sReporter, 'get', `/api/v1/bugs?q=${encodeURIComponent('"zzpair frobnicator"')}`).expect(
      200,
    );
    expect(own.body.items.map((b: { id: number }) => b.id).sort()).toEqual([id, hidden].sort());
    // a phrase in thousands of bugs (walked rather than looked up in the pairs index once the pair
    // statistics know it is common; the answer is the same either way). Closed bugs outside any
    // SIG, so that other tests' counts stay as they are.
    const pkg = await makePackage(t.ds, sig.id);
    await t.ds.query(
      `INSERT INTO bugs (product_id, version, package_id, summary, status, resolution, severity, reporter_id, search_vector)
       SELECT p.id, '9.2', $1, 'zzcommon phrase here ' || g, 'RESOLVED', 'FIXED', 'normal', $2,
              to_tsvector('simple', 'zzcommon phrase here ' || g)
         FROM generate_series(1, 3000) g, bug_products p WHERE p.name = 'OpenCloudOS'`,
      [pkg.id, reporter.user.id],
    );
    await t.ds.query('ANALYZE bug_search_pairs');
    const [{ n }] = await t.ds.query(
      `SELECT count(*)::int AS n FROM bug_search_pairs WHERE pairs @@ och_pair_query('zzcommon phrase here')`,
    );
    expect(n).toBe(3000);
    await t.ds.query('ANALYZE bugs');
    const common = await search('"zzcommon phrase here" FIXED');
    expect(common.items).toHaveLength(25);
    // counted as the rest of the search times the share of bugs with the phrase's rarest pair
    // (counting 3,000 matches is past the cap, and the planner's own guess multiplies the words)
    expect(common.total.estimated).toBe(true);
    expect(common.total.value).toBeGreaterThan(2000);
    expect(common.total.value).toBeLessThan(4500);
    expect((await search('"zzcommon phrase here 2999" FIXED')).items).toHaveLength(1);
    expect((await search('"zzcommon phrase here"')).items).toEqual([]); // closed: only when asked for
  });

  it('pages through results with a keyset cursor and rejects forged cursors', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(await fileBug(t.baseUrl, sReporter, { component: pkgName, summary: `paging test ${i}` }));
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/v1/bugs?q=${encodeURIComponent('paging')}&sort=updated&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await call(null, 'get', q).expect(200);
      seen.push(...res.body.items.map((b: { id: number }) => b.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    await call(null, 'get', '/api/v1/bugs?cursor=bm9wZQ').expect(400);
  });

  it('sorts by heat and by priority, and pages through either order', async () => {
    const word = `zzsort${Date.now()}`;
    const ids: number[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(await fileBug(t.baseUrl, sReporter, { component: pkgName, summary: `${word} number ${i}` }));
    // heat 5, 9, 9, 1 and priority P3, P1, P2, P1 (ties broken by the newer bug first)
    const heat = [5, 9, 9, 1];
    const priority = ['P3', 'P1', 'P2', 'P1'];
    for (let i = 0; i < 4; i++)
      await t.ds.query(`UPDATE bugs SET heat = $2, priority = $3 WHERE id = $1`, [ids[i], heat[i], priority[i]]);
    const all = async (sort: string) => {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: { id: number }[]; nextCursor: string | null } } = await call(
          null,
          'get',
          `/api/v1/bugs?q=${word}&sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        ).expect(200);
        seen.push(...res.body.items.map((b) => b.id));
        cursor = res.body.nextCursor;
      } while (cursor && seen.length < 10);
      return seen;
    };
    expect(await all('heat')).toEqual([ids[2], ids[1], ids[0], ids[3]]);
    expect(await all('priority')).toEqual([ids[3], ids[1], ids[2], ids[0]]);
  });

  it('suggests duplicates within the product, folded onto their original', async () => {
    const original = await fileBug(t.baseUrl, sReporter, {
      component: pkgName,
      summary: 'grub2 fails to boot xfs root after update',
    });
    const dup = await fileBug(t.baseUrl, sStranger, {
      component: pkgName,
      summary: 'grub2 fails to boot with xfs root',
    });
    await call(sLead, 'patch', `/api/v1/bugs/${dup}`, { dupeOf: original }).expect(200);
    const res = await call(
      null,
      'get',
      `/api/v1/bugs/duplicates?product=OpenCloudOS&summary=${encodeURIComponent('grub2 cannot boot xfs root')}`,
    ).expect(200);
    expect(res.body[0]).toMatchObject({ id: original, via: [dup] });
    expect(res.body.filter((c: { id: number }) => c.id === dup)).toEqual([]);
    const other = await call(
      null,
      'get',
      `/api/v1/bugs/duplicates?product=${encodeURIComponent('OpenCloudOS Stream')}&summary=${encodeURIComponent('grub2 cannot boot xfs root')}`,
    ).expect(200);
    expect(other.body).toEqual([]);
  });

  it('chooses the words of duplicate hints by rarity, never pairing words that come together', async () => {
    // (statistics as the hourly refresh would leave them; the zz words are this test's own)
    await t.ds.query(
      `INSERT INTO bug_term_stats (term, ndoc) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (term) DO UPDATE SET ndoc = excluded.ndoc`,
      [
        [
          'zzpkg-zzthing',
          'zzpkg',
          'zzthing',
          'zzother',
          'zzglue',
          'zzrare',
          '龘靐',
          '靐齉',
          '齉爩',
          '齾龖',
          '龖龗',
        ].concat(['龗龘', 'zzlog', 'zzmsg']),
        [500, 500, 500, 800, 50_000, 40, 600, 650, 700, 880, 30_000, 900, 18_000, 17_000],
      ],
    );
    const choose = async (summary: string): Promise<string | null> =>
      (await t.ds.query(`SELECT och_duplicate_query($1, 1000000, 300, 0.01, 0.1)::text AS q`, [summary]))[0].q;
    // a hyphenated word's parts say nothing more than the word: the pair is with the next word
    expect(await choose('zzpkg-zzthing zzother zzglue')).toBe("'zzpkg-zzthing' & 'zzother'");
    // a word rare enough stands alone, and pairs with the others too
    expect(await choose('zzrare zzpkg-zzthing zzother')).toBe(
      "'zzrare' | 'zzrare' & 'zzpkg-zzthing' | 'zzrare' & 'zzother' | 'zzpkg-zzthing' & 'zzother'",
    );
    // overlapping bigrams of one Chinese run (龘靐, 靐齉) are one word; 齉爩 is another
    expect(await choose('龘靐齉爩')).toBe("'龘靐' & '齉爩'");
    // a lone distinctive word too common to stand alone pairs with the next rarest non-glue words
    expect(await choose('zzpkg-zzthing zzglue')).toBe("'zzpkg-zzthing' & 'zzglue'");
    // bigrams of one run found in as many bugs (within 5%) are one phrase: 齾龖 and 龗龘 are not a pair
    expect(await choose('齾龖龗龘 zzother')).toBe("'zzother' & '齾龖'");
    // no distinctive word: the two rarest words short of glue, in pairs, with words unseen so far
    expect(await choose('zzlog zzmsg zzunseen')).toBe(
      "'zzmsg' & 'zzlog' | 'zzmsg' & 'zzunseen' | 'zzlog' & 'zzunseen'",
    );
    expect(await choose('zzlog zzglue')).toBe("'zzlog' & 'zzglue'");
    // but never one such word alone
    expect(await choose('zzlog')).toBeNull();
    expect(await choose('a ! ?')).toBeNull();
    // The index scans that find those words: each requires its first word; pairs with a word that
    // stands alone are that word's scan already.
    const scans = async (summary: string): Promise<string[] | null> =>
      (await t.ds.query(`SELECT och_duplicate_scans($1, 1000000, 300, 0.01, 0.1)::text[] AS s`, [summary]))[0].s;
    expect(await scans('zzrare zzpkg-zzthing zzother')).toEqual(["'zzrare'", "'zzpkg-zzthing' & 'zzother'"]);
    expect(await scans('zzlog zzmsg zzunseen')).toEqual(["'zzmsg' & ( 'zzlog' | 'zzunseen' )", "'zzlog' & 'zzunseen'"]);
    expect(await scans('zzpkg-zzthing zzglue')).toEqual(["'zzpkg-zzthing' & 'zzglue'"]);
    expect(await scans('zzlog')).toBeNull();
    // and find what the one query finds
    const [same] = await t.ds.query(
      `SELECT bool_and((v @@ och_duplicate_query(s, 1000000, 300, 0.01, 0.1)) = (v @@ ANY(och_duplicate_scans(s, 1000000, 300, 0.01, 0.1)))) AS ok
         FROM unnest($1::text[]) s,
              unnest(ARRAY['zzrare', 'zzpkg-zzthing zzother', 'zzmsg zzunseen', 'zzmsg zzlog', 'zzlog zzother', 'zzmsg'])
                AS w, to_tsvector('simple', w) v`,
      [['zzrare zzpkg-zzthing zzother', 'zzlog zzmsg zzunseen']],
    );
    expect(same.ok).toBe(true);
    // lexemes go into the query as they are: quotes and backslashes included
    const [{ ok }] = await t.ds.query(
      `SELECT bool_and(array_to_tsvector(ARRAY[w]) @@ och_lexeme(w)::tsquery) AS ok FROM unnest($1::text[]) w`,
      [["it's", 'back\\slash', "o''clock\\"]],
    );
    expect(ok).toBe(true);
  });

  it('hides a private security bug from everyone outside its circle, on every channel', async () => {
    const security = await makeUser(t.ds, { roles: ['security'] });
    const sSecurity = await login(t.baseUrl, security.user.username);
    const ccUser = await makeUser(t.ds);
    const watcher = await makeUser(t.ds);
    await t.ds.query(`INSERT INTO sig_bug_watchers (sig_id, user_id) VALUES ($1, $2)`, [sig.id, watcher.user.id]);
    const id = await fileBug(t.baseUrl, sReporter, {
      component: pkgName,
      summary: 'zzsecret privilege escalation in setuid helper',
      isPrivate: true,
      cc: [ccUser.user.username],
    });
    const sCc = await login(t.baseUrl, ccUser.user.username);
    const q = encodeURIComponent('zzsecret');
    // outsiders: visitor, a logged-in stranger, even a SIG member who is not on the bug
    const member = await makeUser(t.ds);
    await t.ds.query(`INSERT INTO sig_memberships (sig_id, user_id, role) VALUES ($1, $2, 'member')`, [
      sig.id,
      member.user.id,
    ]);
    const sMember = await login(t.baseUrl, member.user.username);
    for (const who of [null, sStranger, sMember]) {
      await call(who, 'get', `/api/v1/bugs/${id}`).expect(404);
      await call(who, 'get', `/api/v1/bugs/${id}/history`).expect(404);
      await call(who, 'get', `/api/v1/bugs/${id}/attachments`).expect(404);
      await call(who, 'patch', `/api/v1/bugs/${id}`, { comment: { body: 'hi' } }).expect(who ? 404 : 401);
      const found = await call(who, 'get', `/api/v1/bugs?q=${q}`).expect(200);
      expect(found.body).toMatchObject({ items: [], total: { value: 0 } });
      const dupes = await call(
        who,
        'get',
        `/api/v1/bugs/duplicates?product=OpenCloudOS&summary=${encodeURIComponent('privilege escalation setuid helper zzsecret')}`,
      ).expect(200);
      expect(dupes.body.map((d: { id: number }) => d.id)).not.toContain(id);
      const queue = await call(who, 'get', `/api/v1/sigs/${sig.slug}/triage`).expect(200);
      expect(queue.body.items.map((b: { id: number }) => b.id)).not.toContain(id);
    }
    const feed = await request(t.baseUrl).get(`/api/v1/bugs/feed.atom?q=${q}`).expect(200);
    expect(feed.text).not.toContain('privilege escalation');
    // insiders: reporter, assignee (default: the lead), CC, security team
    for (const who of [sReporter, sLead, sCc, sSecurity]) {
      const res = await call(who, 'get', `/api/v1/bugs?q=${q}`).expect(200);
      expect(res.body.items.map((b: { id: number }) => b.id)).toEqual([id]);
      await call(who, 'get', `/api/v1/bugs/${id}`).expect(200);
    }
    // mail: the SIG watcher (not in the circle) gets nothing; the CC does
    await call(sLead, 'patch', `/api/v1/bugs/${id}`, { comment: { body: 'confirmed, patch soon' } }).expect(200);
    expect(await queuedMails(t.ds, watcher.user.email)).toEqual([]);
    const ccMail = await queuedMails(t.ds, ccUser.user.email);
    expect(ccMail.at(-1)?.headers?.['X-Bugzilla-Reason']).toBe('CC');
    // once the embargo has passed, it is public
    await call(sSecurity, 'patch', `/api/v1/bugs/${id}`, {
      embargoUntil: new Date(Date.now() - 1000).toISOString(),
    }).expect(200);
    await call(null, 'get', `/api/v1/bugs/${id}`).expect(200);
  });

  it('shows links to a private bug (depends on, blocks, duplicate of) only to those who may see it', async () => {
    const secret = await fileBug(t.baseUrl, sReporter, { component: pkgName, isPrivate: true });
    const [a, b, c] = [
      await fileBug(t.baseUrl, sLead, { component: pkgName }),
      await fileBug(t.baseUrl, sLead, { component: pkgName }),
      await fileBug(t.baseUrl, sLead, { component: pkgName }),
    ];
    // the lead, the SIG's default assignee, is in the private bug's circle
    await call(sLead, 'patch', `/api/v1/bugs/${a}`, { dependsOn: [secret, c] }).expect(200);
    await call(sLead, 'patch', `/api/v1/bugs/${secret}`, { dependsOn: [c] }).expect(200);
    await call(sLead, 'patch', `/api/v1/bugs/${b}`, { dupeOf: secret }).expect(200);
    for (const who of [null, sStranger]) {
      expect((await call(who, 'get', `/api/v1/bugs/${a}`).expect(200)).body).toMatchObject({ dependsOn: [c] });
      expect((await call(who, 'get', `/api/v1/bugs/${c}`).expect(200)).body).toMatchObject({ blocks: [a] });
      expect((await call(who, 'get', `/api/v1/bugs/${b}`).expect(200)).body).toMatchObject({ dupeOf: null });
    }
    const rest = await request(t.baseUrl).get(`/rest/bug?id=${a}&id=${b}&id=${c}`).expect(200);
    expect(rest.body.bugs).toEqual([
      expect.objectContaining({ id: a, depends_on: [c] }),
      expect.objectContaining({ id: b, dupe_of: null }),
      expect.objectContaining({ id: c, blocks: [a] }),
    ]);
    expect((await call(sLead, 'get', `/api/v1/bugs/${a}`).expect(200)).body).toMatchObject({
      dependsOn: [secret, c].sort((x, y) => x - y),
    });
    expect((await call(sLead, 'get', `/api/v1/bugs/${c}`).expect(200)).body).toMatchObject({
      blocks: [secret, a].sort((x, y) => x - y),
    });
    expect((await call(sLead, 'get', `/api/v1/bugs/${b}`).expect(200)).body).toMatchObject({ dupeOf: secret });
    expect((await call(sLead, 'get', `/api/v1/bugs/${secret}`).expect(200)).body).toMatchObject({ duplicates: [b] });
  });

  it('counts only public open bugs per SIG and filters the directory by them', async () => {
    const quiet = await makeSig(t.ds);
    const busy = await makeSig(t.ds);
    const pkg = await makePackage(t.ds, busy.id);
    await fileBug(t.baseUrl, sReporter, { component: pkg.name });
    await fileBug(t.baseUrl, sReporter, { component: pkg.name, isPrivate: true });
    const detail = await call(sReporter, 'get', `/api/v1/sigs/${busy.slug}`).expect(200);
    expect(detail.body.openBugCount).toBe(1);
    const withBugs = await call(null, 'get', '/api/v1/sigs?hasOpenBugs=true&limit=100').expect(200);
    const slugs = withBugs.body.items.map((s: { slug: string }) => s.slug);
    expect(slugs).toContain(busy.slug);
    expect(slugs).not.toContain(quiet.slug);
    expect(withBugs.body.items.find((s: { slug: string }) => s.slug === busy.slug).openBugCount).toBe(1);
    const without = await call(null, 'get', '/api/v1/sigs?hasOpenBugs=false&limit=100').expect(200);
    expect(without.body.items.map((s: { slug: string }) => s.slug)).toContain(quiet.slug);
    await call(null, 'get', '/api/v1/sigs?hasOpenBugs=maybe').expect(400);
  });

  it('shows private comments only to the security team', async () => {
    const security = await makeUser(t.ds, { roles: ['security'] });
    const sSecurity = await login(t.baseUrl, security.user.username);
    const id = await fileBug(t.baseUrl, sReporter, { component: pkgName });
    await call(sReporter, 'post', `/api/v1/bugs/${id}/comments`, { body: 'x', isPrivate: true }).expect(403);
    await call(sSecurity, 'post', `/api/v1/bugs/${id}/comments`, {
      body: 'qqprivatenote exploit details',
      isPrivate: true,
    }).expect(201);
    const pub = await call(sReporter, 'get', `/api/v1/bugs/${id}`).expect(200);
    expect(pub.body.comments.map((c: { body: string }) => c.body)).not.toContain('qqprivatenote exploit details');
    const sec = await call(sSecurity, 'get', `/api/v1/bugs/${id}`).expect(200);
    expect(sec.body.comments.at(-1)).toMatchObject({ isPrivate: true });
    expect((await call(null, 'get', '/api/v1/bugs?q=qqprivatenote').expect(200)).body.items).toEqual([]);
  });

  it('keeps comment edit history and lets only the author edit', async () => {
    const id = await fileBug(t.baseUrl, sReporter, { component: pkgName });
    const c = await call(sStranger, 'post', `/api/v1/bugs/${id}/comments`, { body: 'first text' }).expect(201);
    await call(sReporter, 'patch', `/api/v1/bugs/${id}/comments/${c.body.id}`, { body: 'hijack' }).expect(403);
    const edited = await call(sStranger, 'patch', `/api/v1/bugs/${id}/comments/${c.body.id}`, {
      body: 'second text',
    }).expect(200);
    expect(edited.body.editedAt).not.toBeNull();
    const revs = await call(null, 'get', `/api/v1/bugs/${id}/comments/${c.body.id}/revisions`).expect(200);
    expect(revs.body.map((r: { body: string }) => r.body)).toEqual(['first text']);
  });

  it('asks for information, lists it in the requestee queue and clears it when they answer', async () => {
    const id = await fileBug(t.baseUrl, sReporter, { component: pkgName });
    await call(sStranger, 'post', `/api/v1/bugs/${id}/needinfo`, { user: reporter.user.username }).expect(403);
    const res = await call(sLead, 'post', `/api/v1/bugs/${id}/needinfo`, {
      user: reporter.user.username,
      question: 'Which kernel?',
    }).expect(201);
    expect(res.body.flags).toEqual([
      expect.objectContaining({ name: 'needinfo', requestee: reporter.user.username, setter: lead.user.username }),
    ]);
    const queue = await call(sReporter, 'get', '/api/v1/me/bugs?role=needinfo').expect(200);
    expect(queue.body.items.map((b: { id: number }) => b.id)).toContain(id);
    const mails = await queuedMails(t.ds, reporter.user.email);
    expect(mails.some((mail) => mail.headers?.['X-Bugzilla-Flags'] === `needinfo?(${reporter.user.username})`)).toBe(
      true,
    );
    await call(sReporter, 'post', `/api/v1/bugs/${id}/comments`, { body: '6.6.47' }).expect(201);
    expect((await call(null, 'get', `/api/v1/bugs/${id}`).expect(200)).body.flags).toEqual([]);
  });

  it('counts "affects me too" once per person and raises the heat', async () => {
    const id = await fileBug(t.baseUrl, sReporter, { component: pkgName });
    const before = (await call(null, 'get', `/api/v1/bugs/${id}`).expect(200)).body.heat as number;
    await call(sStranger, 'put', `/api/v1/bugs/${id}/affects-me`).expect(200);
    const twice = await call(sStranger, 'put', `/api/v1/bugs/${id}/affects-me`).expect(200);
    expect(twice.body).toEqual({ affected: true, affectedCount: 1 });
    const after = (await call(sStranger, 'get', `/api/v1/bugs/${id}`).expect(200)).body;
    expect(after.heat).toBeGreaterThan(before);
    expect(after.me).toMatchObject({ affected: true });
  });

  it('stores attachments on disk and serves them only as downloads', async () => {
    const id = await fileBug(t.baseUrl, sReporter, { component: pkgName });
    const html = '<script>alert(1)</script>';
    const res = await call(sReporter, 'post', `/api/v1/bugs/${id}/attachments`, {
      filename: 'evil.html',
      contentType: 'text/html',
      data: Buffer.from(html).toString('base64'),
      description: 'repro page',
    }).expect(201);
    expect(res.body).toMatchObject({ filename: 'evil.html', size: html.length, creator: reporter.user.username });
    const raw = await request(t.baseUrl).get(`/api/v1/attachments/${res.body.id}/raw`).expect(200);
    expect(raw.headers['content-disposition']).toMatch(/^attachment;/);
    expect(raw.headers['x-content-type-options']).toBe('nosniff');
    expect(raw.headers['content-type']).toMatch(/^text\/plain/);
    expect(raw.text).toBe(html);
    const big = await call(sReporter, 'post', `/api/v1/bugs/${id}/attachments`, {
      filename: 'big.bin',
      contentType: 'application/octet-stream',
      data: Buffer.alloc(4096).toString('base64'),
    }).expect(413);
    expect(big.body.code).toBe('attachment_too_large');
    await call(sReporter, 'post', `/api/v1/bugs/${id}/attachments`, {
      filename: '../x',
      contentType: 'text/plain',
      data: 'eA==',
    }).expect(400);
  });

  it('refuses a change made on a stale copy (mid-air collision)', async () => {
    const id = await fileBug(t.baseUrl, sReporter, { component: pkgName });
    const seen = (await call(sLead, 'get', `/api/v1/bugs/${id}`).expect(200)).body.updatedAt as string;
    await new Promise((r) => setTimeout(r, 5));
    await call(sTriager, 'patch', `/api/v1/bugs/${id}`, { priority: 'P2' }).expect(200);
    const res = await call(sLead, 'patch', `/api/v1/bugs/${id}`, { priority: 'P4', ifUnmodifiedSince: seen }).expect(
      409,
    );
    expect(res.body.code).toBe('mid_air_collision');
  });

  it('respects mail preferences and names the reason in X-Bugzilla-Reason', async () => {
    const id = await fileBug(t.baseUrl, sReporter, { component: pkgName });
    const before = (await queuedMails(t.ds, reporter.user.email)).length;
    await call(sLead, 'post', `/api/v1/bugs/${id}/comments`, { body: 'looking' }).expect(201);
    const mails = await queuedMails(t.ds, reporter.user.email);
    expect(mails.length).toBe(before + 1);
    expect(mails.at(-1)?.headers).toMatchObject({
      'X-Bugzilla-Reason': 'Reporter',
      'X-Bugzilla-Product': 'OpenCloudOS',
    });
    await call(sReporter, 'put', '/api/v1/me/bug-mail', {
      prefs: [{ role: 'reporter', event: 'comment', enabled: false }],
    }).expect(200);
    await call(sLead, 'post', `/api/v1/bugs/${id}/comments`, { body: 'still looking' }).expect(201);
    expect((await queuedMails(t.ds, reporter.user.email)).length).toBe(before + 1);
    await call(sReporter, 'put', '/api/v1/me/bug-mail', {
      prefs: [{ role: 'boss', event: 'comment', enabled: false }],
    }).expect(400);
  });

  it('keeps saved searches private unless shared and serves an Atom feed', async () => {
    const mine = await call(sReporter, 'post', '/api/v1/saved-searches', { name: 'my nvme', query: 'nvme' }).expect(
      201,
    );
    await call(sReporter, 'post', '/api/v1/saved-searches', { name: 'my nvme', query: 'x' }).expect(409);
    await call(sStranger, 'get', `/api/v1/saved-searches/${mine.body.id}`).expect(404);
    const shared = await call(sReporter, 'post', '/api/v1/saved-searches', {
      name: 'team',
      query: 'kernel',
      shared: true,
    }).expect(201);
    const list = await call(sStranger, 'get', '/api/v1/saved-searches').expect(200);
    expect(list.body.map((s: { id: number }) => s.id)).toEqual([shared.body.id]);
    const feed = await request(t.baseUrl).get('/api/v1/bugs/feed.atom?q=nvme').expect(200);
    expect(feed.headers['content-type']).toMatch(/application\/atom\+xml/);
    expect(feed.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(feed.text).toContain('nvme timeout on resume');
  });

  it('lets admins manage products, versions and general components, and nobody else', async () => {
    const admin = await makeUser(t.ds, { roles: ['admin'] });
    const sAdmin = await login(t.baseUrl, admin.user.username);
    const body = { name: 'OpenCloudOS Edge', description: 'edge images', packageComponents: false };
    await call(sLead, 'post', '/api/v1/bug-products', body).expect(403);
    await call(sAdmin, 'post', '/api/v1/bug-products', body).expect(201);
    expect((await call(sAdmin, 'post', '/api/v1/bug-products', body).expect(409)).body.code).toBe('product_exists');
    await call(sAdmin, 'put', '/api/v1/bug-products/OpenCloudOS%20Edge/versions', { name: '1.0' }).expect(200);
    await call(sAdmin, 'put', '/api/v1/bug-products/OpenCloudOS%20Edge/versions', { name: 'not a version!' }).expect(
      400,
    );
    const comp = await call(sAdmin, 'put', '/api/v1/bug-products/OpenCloudOS%20Edge/components', {
      name: 'Images',
      sig: sig.slug,
      defaultAssignee: lead.user.username,
    }).expect(200);
    expect(comp.body.components).toEqual([
      expect.objectContaining({
        name: 'Images',
        sig: expect.objectContaining({ slug: sig.slug }),
        defaultAssignee: lead.user.username,
      }),
    ]);
    await call(sAdmin, 'put', '/api/v1/bug-products/OpenCloudOS%20Edge/components', {
      name: 'X',
      sig: 'no-such-sig',
    }).expect(400);
    await call(sAdmin, 'patch', '/api/v1/bug-products/OpenCloudOS%20Edge', { bugTemplate: '**Board:**' }).expect(200);
    await call(sAdmin, 'patch', '/api/v1/bug-products/Nope', { bugTemplate: 'x' }).expect(404);
    // a bug filed on the new component lands in the SIG's queue with its default assignee
    const id = await fileBug(t.baseUrl, sReporter, {
      product: 'OpenCloudOS Edge',
      version: '1.0',
      component: 'Images',
    });
    const bug = await call(null, 'get', `/api/v1/bugs/${id}`).expect(200);
    expect(bug.body).toMatchObject({
      component: 'Images',
      package: null,
      sig: { slug: sig.slug },
      assignee: lead.user.username,
    });
  });

  it('reads component:NAME as the package or a general component, within the products a search names', async () => {
    const admin = await makeUser(t.ds, { roles: ['admin'] });
    const sAdmin = await login(t.baseUrl, admin.user.username);
    await call(sAdmin, 'post', '/api/v1/bug-products', { name: 'HubTwin', packageComponents: false }).expect(201);
    await call(sAdmin, 'put', '/api/v1/bug-products/HubTwin/versions', { name: '1.0' }).expect(200);
    // a general component of another product with the package's name
    await call(sAdmin, 'put', '/api/v1/bug-products/HubTwin/components', { name: pkgName, sig: sig.slug }).expect(200);
    const word = `twin${Date.now()}`;
    const inPackage = await fileBug(t.baseUrl, sReporter, { component: pkgName, summary: `${word} in the package` });
    const inComponent = await fileBug(t.baseUrl, sReporter, {
      product: 'HubTwin',
      version: '1.0',
      component: pkgName,
      summary: `${word} in the component`,
    });
    const ids = async (q: string) =>
      (await call(null, 'get', `/api/v1/bugs?q=${encodeURIComponent(q)}`).expect(200)).body.items
        .map((b: { id: number }) => b.id)
        .sort((a: number, b: number) => a - b);
    expect(await ids(`${word} component:${pkgName}`)).toEqual([inPackage, inComponent].sort((a, b) => a - b));
    expect(await ids(`${word} product:OpenCloudOS component:${pkgName}`)).toEqual([inPackage]);
    expect(await ids(`${word} product:HubTwin component:${pkgName}`)).toEqual([inComponent]);
    expect(await ids(`${word} product:HubTwin product:OpenCloudOS component:${pkgName}`)).toEqual([]);
    expect(await ids(`${word} component:no-such-component`)).toEqual([]);
    // the same through the form's fields and the Bugzilla REST API
    const form = await call(null, 'get', `/api/v1/bugs?q=${word}&product=HubTwin&component=${pkgName}`).expect(200);
    expect(form.body.items.map((b: { id: number }) => b.id)).toEqual([inComponent]);
    const rest = await request(t.baseUrl)
      .get(`/rest/bug?product=OpenCloudOS&component=${encodeURIComponent(pkgName)}&summary=${word}`)
      .expect(200);
    expect(rest.body.bugs.map((b: { id: number }) => b.id)).toEqual([inPackage]);
    // pages after the first walk the package's and the component's bugs apart and merge them:
    // newest change first, each bug once
    const inPackage2 = await fileBug(t.baseUrl, sReporter, { component: pkgName, summary: `${word} again, package` });
    const inComponent2 = await fileBug(t.baseUrl, sReporter, {
      product: 'HubTwin',
      version: '1.0',
      component: pkgName,
      summary: `${word} again, component`,
    });
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: number }[]; nextCursor: string | null } } = await call(
        null,
        'get',
        `/api/v1/bugs?q=${encodeURIComponent(`${word} component:${pkgName}`)}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      ).expect(200);
      paged.push(...page.body.items.map((b) => b.id));
      cursor = page.body.nextCursor;
    } while (cursor && paged.length < 10);
    expect(paged).toEqual([inComponent2, inPackage2, inComponent, inPackage]);
  });

  it('shows admins inactive products and components, and refuses additions that would clash or overwrite', async () => {
    const admin = await makeUser(t.ds, { roles: ['admin'] });
    const sAdmin = await login(t.baseUrl, admin.user.username);
    const product = 'Hub Admin Test';
    const path = `/api/v1/bug-products/${encodeURIComponent(product)}`;
    await call(sAdmin, 'post', '/api/v1/bug-products', { name: product, isActive: false }).expect(201);
    // names are unique ignoring case, as the lookups that find them by name ignore it
    const clash = await call(sAdmin, 'post', '/api/v1/bug-products', { name: product.toLowerCase() }).expect(409);
    expect(clash.body).toMatchObject({ code: 'product_exists', errors: [{ field: 'name', message: 'exists' }] });
    // and a rename onto another product's name is refused the same way
    const rename = await call(sAdmin, 'patch', '/api/v1/bug-products/OpenCloudOS%20SIG', { name: 'opencloudos' });
    expect(rename.status).toBe(409);
    expect(rename.body.code).toBe('product_exists');
    const empty = await call(sAdmin, 'post', '/api/v1/bug-products', { name: ' ' }).expect(400);
    expect(empty.body.errors).toContainEqual(expect.objectContaining({ field: 'name' }));

    // versions: POST adds only, PUT (de)activates
    await call(sAdmin, 'post', `${path}/versions`, { name: '1.0' }).expect(201);
    expect((await call(sAdmin, 'post', `${path}/versions`, { name: '1.0' }).expect(409)).body.code).toBe(
      'version_exists',
    );
    await call(sAdmin, 'post', `${path}/versions`, { name: '2.0' }).expect(201);
    await call(sAdmin, 'put', `${path}/versions`, { name: '1.0', isActive: false }).expect(200);
    await call(sLead, 'post', `${path}/versions`, { name: '3.0' }).expect(403);

    // components: POST adds only (ignoring case), PUT changes the one with that name
    await call(sAdmin, 'post', `${path}/components`, { name: 'Boards', sig: sig.slug }).expect(201);
    const dup = await call(sAdmin, 'post', `${path}/components`, { name: 'boards', description: 'x' }).expect(409);
    expect(dup.body).toMatchObject({ code: 'component_exists', errors: [{ field: 'name', message: 'exists' }] });
    await call(sAdmin, 'put', `${path}/components`, { name: 'boards', description: 'Board support' }).expect(200);
    await call(sAdmin, 'post', `${path}/components`, { name: 'Retired', isActive: false }).expect(201);
    const disabled = await makeUser(t.ds);
    await t.ds.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [disabled.user.id]);
    const gone = await call(sAdmin, 'put', `${path}/components`, {
      name: 'Boards',
      defaultAssignee: disabled.user.username,
    }).expect(400);
    expect(gone.body.code).toBe('unknown_user');

    // a general component of a package product may not take a package's name (and so its bugs)
    const shadow = await call(sAdmin, 'post', '/api/v1/bug-products/OpenCloudOS/components', {
      name: pkgName.toUpperCase(),
    }).expect(409);
    expect(shadow.body).toMatchObject({ code: 'component_is_package', errors: [{ field: 'name' }] });

    // admins see everything; the public list hides the inactive product and component
    await call(sLead, 'get', '/api/v1/admin/bug-products').expect(403);
    await call(null, 'get', '/api/v1/admin/bug-products').expect(401);
    const all = await call(sAdmin, 'get', '/api/v1/admin/bug-products').expect(200);
    const mine = all.body.find((p: { name: string }) => p.name === product);
    expect(mine).toMatchObject({
      isActive: false,
      versions: [
        { name: '1.0', isActive: false },
        { name: '2.0', isActive: true },
      ],
      components: [
        {
          name: 'Boards',
          description: 'Board support',
          sig: { slug: sig.slug },
          defaultAssignee: null,
          isActive: true,
        },
        { name: 'Retired', isActive: false },
      ],
    });
    const one = await call(sAdmin, 'get', `/api/v1/admin/bug-products/${encodeURIComponent(product.toUpperCase())}`);
    expect(one.status).toBe(200);
    expect(one.body.name).toBe(product);
    await call(sAdmin, 'get', '/api/v1/admin/bug-products/Nope').expect(404);
    const pub = await call(null, 'get', '/api/v1/bug-products').expect(200);
    expect(pub.body.map((p: { name: string }) => p.name)).not.toContain(product);

    // an inactive version takes no new bugs, while bugs already on it keep it
    await call(sAdmin, 'patch', path, { isActive: true }).expect(200);
    const id = await fileBug(t.baseUrl, sReporter, { product, version: '2.0', component: 'Boards' });
    const refused = await call(sReporter, 'post', '/api/v1/bugs', {
      product,
      version: '1.0',
      component: 'Boards',
      summary: 'board does not boot',
      description: 'x',
    }).expect(400);
    expect(refused.body).toMatchObject({ code: 'version_inactive', errors: [{ field: 'version' }] });
    expect((await call(sReporter, 'patch', `/api/v1/bugs/${id}`, { version: '1.0' }).expect(400)).body.code).toBe(
      'version_inactive',
    );
    await call(sAdmin, 'put', `${path}/versions`, { name: '1.0', isActive: true }).expect(200);
    await call(sReporter, 'patch', `/api/v1/bugs/${id}`, { version: '1.0' }).expect(200);
    await call(sAdmin, 'put', `${path}/versions`, { name: '1.0', isActive: false }).expect(200);
    await call(sReporter, 'patch', `/api/v1/bugs/${id}`, { summary: 'board does not boot after update' }).expect(200);
    expect((await call(null, 'get', `/api/v1/bugs/${id}`).expect(200)).body.version).toBe('1.0');
  });

  it('renames a general component, its bugs following, and refuses names that clash', async () => {
    const admin = await makeUser(t.ds, { roles: ['admin'] });
    const sAdmin = await login(t.baseUrl, admin.user.username);
    await call(sAdmin, 'post', '/api/v1/bug-products', { name: 'HubRename', packageComponents: true }).expect(201);
    await call(sAdmin, 'put', '/api/v1/bug-products/HubRename/versions', { name: '1.0' }).expect(200);
    const put = (body: object) => call(sAdmin, 'put', '/api/v1/bug-products/HubRename/components', body);
    await put({ name: 'General', sig: sig.slug }).expect(200);
    await put({ name: 'Docs', sig: sig.slug }).expect(200);
    const bug = await fileBug(t.baseUrl, sReporter, {
      product: 'HubRename',
      version: '1.0',
      component: 'Docs',
      summary: 'a typo in the guide',
    });
    const renamed = await put({ name: 'docs', rename: 'Documentation' }).expect(200);
    const names = renamed.body.components.map((c: { name: string }) => c.name);
    expect(names).toContain('Documentation');
    expect(names).not.toContain('Docs');
    expect((await call(sReporter, 'get', `/api/v1/bugs/${bug}`).expect(200)).body.component).toBe('Documentation');
    // a change of case only is a rename too
    await put({ name: 'Documentation', rename: 'DOCUMENTATION' }).expect(200);
    expect((await call(sReporter, 'get', `/api/v1/bugs/${bug}`).expect(200)).body.component).toBe('DOCUMENTATION');
    // clashes: another component (any case), a package where packages are components
    expect((await put({ name: 'documentation', rename: 'general' }).expect(409)).body.code).toBe('component_exists');
    expect((await put({ name: 'documentation', rename: pkgName }).expect(409)).body.code).toBe('component_is_package');
    await put({ name: 'no-such-component', rename: 'Whatever' }).expect(404);
    const onCreate = await call(sAdmin, 'post', '/api/v1/bug-products/HubRename/components', {
      name: 'Brand new',
      rename: 'Other',
    }).expect(400);
    expect(onCreate.body.code).toBe('rename_on_create');
    await put({ name: 'documentation', rename: '  ' }).expect(400);
    await call(sReporter, 'put', '/api/v1/bug-products/HubRename/components', {
      name: 'documentation',
      rename: 'Mine',
    }).expect(403);
    expect((await call(sReporter, 'get', `/api/v1/bugs/${bug}`).expect(200)).body.component).toBe('DOCUMENTATION');
  });

  it('lists products with versions and general components', async () => {
    const res = await call(null, 'get', '/api/v1/bug-products').expect(200);
    const oc = res.body.find((p: { name: string }) => p.name === 'OpenCloudOS');
    expect(oc).toMatchObject({ packageComponents: true });
    expect(oc.versions.map((v: { name: string }) => v.name)).toContain('9.2');
    expect(oc.components.map((c: { name: string }) => c.name)).toEqual(['General', 'Install']);
  });

  it('estimates the size of a very large result instead of counting it', async () => {
    const pkg = await makePackage(t.ds, sig.id);
    await t.ds.query(
      `INSERT INTO bugs (product_id, version, package_id, sig_id, summary, status, severity, reporter_id, search_vector)
       SELECT p.id, '9.2', $1, $2, 'zzbulk filler ' || g, 'CONFIRMED', 'normal', $3, to_tsvector('simple', 'zzbulk filler ' || g)
         FROM generate_series(1, 8000) g, bug_products p WHERE p.name = 'OpenCloudOS'`,
      [pkg.id, sig.id, reporter.user.id],
    );
    await t.ds.query('ANALYZE bugs');
    // an exact word: the planner's statistics know it is in 8,000 bugs
    const big = await call(null, 'get', `/api/v1/bugs?q=${encodeURIComponent('"zzbulk"')}`).expect(200);
    expect(big.body.total).toMatchObject({ estimated: true, more: false });
    expect(big.body.total.value).toBeGreaterThan(5000);
    expect(big.body.items).toHaveLength(25);
    // a word is also a prefix, which a table this small has too few statistics to estimate (a
    // fixed 2%): then the count stops at the cap and says so
    const prefix = await call(null, 'get', '/api/v1/bugs?q=zzbulk').expect(200);
    expect(prefix.body.total).toEqual(
      prefix.body.total.estimated
        ? { value: expect.any(Number), more: false, estimated: true }
        : { value: 1000, more: true, estimated: false },
    );
    expect(prefix.body.total.value).toBeGreaterThanOrEqual(1000);
    expect(prefix.body.items).toHaveLength(25);
    // A common word walks the newest-first index, also with a component that is both this package
    // and another product's general component (an OR): the same pages as the plain query.
    const admin = await makeUser(t.ds, { roles: ['admin'] });
    const sAdmin = await login(t.baseUrl, admin.user.username);
    await call(sAdmin, 'post', '/api/v1/bug-products', { name: 'HubBulk', packageComponents: false }).expect(201);
    await call(sAdmin, 'put', '/api/v1/bug-products/HubBulk/versions', { name: '1.0' }).expect(200);
    await call(sAdmin, 'put', '/api/v1/bug-products/HubBulk/components', { name: pkg.name, sig: sig.slug }).expect(200);
    const twin = await fileBug(t.baseUrl, sReporter, {
      product: 'HubBulk',
      version: '1.0',
      component: pkg.name,
      summary: 'zzbulk in the twin component',
    });
    const expected: { id: number }[] = await t.ds.query(
      `SELECT b.id FROM bugs b WHERE (b.package_id = $1 OR b.component_id IN (SELECT c.id FROM bug_components c
          JOIN bug_products p ON p.id = c.product_id WHERE p.name = 'HubBulk'))
         AND b.search_vector @@ 'zzbulk'::tsquery AND b.status IN ('UNCONFIRMED', 'CONFIRMED', 'IN_PROGRESS')
         AND NOT b.is_private ORDER BY b.updated_at DESC, b.id DESC LIMIT 50`,
      [pkg.id],
    );
    const q = encodeURIComponent(`"zzbulk" component:${pkg.name}`);
    const first = await call(null, 'get', `/api/v1/bugs?q=${q}`).expect(200);
    expect(first.body.items[0].id).toBe(twin);
    expect(first.body.items.map((b: { id: number }) => b.id)).toEqual(expected.slice(0, 25).map((r) => r.id));
    const second = await call(null, 'get', `/api/v1/bugs?q=${q}&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.items.map((b: { id: number }) => b.id)).toEqual(expected.slice(25, 50).map((r) => r.id));
    // a small result is still counted exactly
    const small = await call(null, 'get', `/api/v1/bugs?q=${encodeURIComponent('zzbulk "filler 7"')}&limit=2`).expect(
      200,
    );
    expect(small.body.total).toEqual({ value: 1, more: false, estimated: false });
  });

  it("lets anyone follow a SIG's bugs and mails them as watchers", async () => {
    const fan = await makeUser(t.ds);
    const sFan = await login(t.baseUrl, fan.user.username);
    await call(null, 'put', `/api/v1/sigs/${sig.slug}/bug-watch`).expect(401);
    await call(sFan, 'put', `/api/v1/sigs/no-such-sig/bug-watch`).expect(404);
    const on = await call(sFan, 'put', `/api/v1/sigs/${sig.slug}/bug-watch`).expect(200);
    expect(on.body).toMatchObject({ watching: true });
    await call(sFan, 'put', `/api/v1/sigs/${sig.slug}/bug-watch`).expect(200);
    const id = await fileBug(t.baseUrl, sReporter, { component: pkgName, summary: 'watched sig bug' });
    const mails = await queuedMails(t.ds, fan.user.email);
    expect(mails.at(-1)).toMatchObject({ headers: expect.objectContaining({ 'X-Bugzilla-Reason': 'Watch' }) });
    expect(mails.at(-1)?.subject).toContain(`[Bug ${id}]`);
    const off = await call(sFan, 'delete', `/api/v1/sigs/${sig.slug}/bug-watch`).expect(200);
    expect(off.body).toMatchObject({ watching: false });
    expect((await call(null, 'get', `/api/v1/sigs/${sig.slug}/bug-watch`).expect(200)).body.watching).toBe(false);
  });
});
