import { fileBug, makeBugProducts } from '../../testing/bugs';
import { login, makeUser } from '../../testing/factories';
import { as } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';

describe('portal content: release pages, news, pages, feeds, search and sitemap', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof login>>;
  let someone: Awaited<ReturnType<typeof login>>;

  const release = (family: string, version: string, status: string, releasedOn: string) =>
    t.ds.query<{ id: number }[]>(
      `INSERT INTO releases (family, version, name, path, status, is_latest, released_on, full_support_until, eol_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '2029-12-31', '2032-06-30') RETURNING id`,
      [
        family,
        version,
        family === 'stream' ? `OpenCloudOS Stream ${version}` : `OpenCloudOS ${version}`,
        `${family}/${version}`,
        status,
        version === '9.4',
        releasedOn,
      ],
    );

  beforeAll(async () => {
    t = await startTestApp();
    await makeBugProducts(t.ds);
    const a = await makeUser(t.ds, { roles: ['admin'] });
    const u = await makeUser(t.ds);
    admin = await login(t.baseUrl, a.user.username);
    someone = await login(t.baseUrl, u.user.username);
    const [r94] = await release('opencloudos', '9.4', 'published', '2025-06-30');
    await release('opencloudos', '9.9', 'draft', '2026-06-30');
    await release('stream', '23', 'published', '2023-12-01');
    await t.ds.query(
      `INSERT INTO release_artefacts (release_id, arch, variant, path, size) VALUES ($1, 'x86_64', 'everything', 'opencloudos/9.4/isos/x86_64/OpenCloudOS-9.4-x86_64-everything.iso', 1024)`,
      [r94.id],
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets an admin write a release page whose known issues are public bugs only, and refuses everyone else', async () => {
    await fileBug(t.baseUrl, someone, { component: 'Install', summary: 'installer panic on boot with 6.6' });
    await fileBug(t.baseUrl, someone, {
      component: 'Install',
      summary: 'installer secret embargoed hole',
      isPrivate: true,
    });

    const edit = {
      kernel: '6.6',
      taglineEn: 'Kernel 6.6 & <LoongArch> images',
      taglineZh: '6.6 内核与龙芯镜像',
      highlightsEn: '## Notable\n\n- **EEVDF** scheduler',
      changelog: '- kernel 6.6.88',
      knownIssuesQuery: 'component:Install',
      fullSupportUntil: '2030-06-30',
    };
    await as(t.baseUrl, someone, 'patch', '/api/v1/admin/portal/releases/9.4', edit).expect(403);
    await as(t.baseUrl, null, 'patch', '/api/v1/admin/portal/releases/9.4', edit).expect(401);
    const bad = await as(t.baseUrl, admin, 'patch', '/api/v1/admin/portal/releases/9.4', { eolOn: '2032-13-45' });
    expect(bad.status).toBe(400);
    await as(t.baseUrl, admin, 'patch', '/api/v1/admin/portal/releases/9.4', { html: '<b>' }).expect(400);
    await as(t.baseUrl, admin, 'patch', '/api/v1/admin/portal/releases/nine', edit).expect(400);
    await as(t.baseUrl, admin, 'patch', '/api/v1/admin/portal/releases/8.1', edit).expect(404);
    await as(t.baseUrl, admin, 'patch', '/api/v1/admin/portal/releases/9.4', edit).expect(200);
    // a second, partial edit keeps what it does not mention
    await as(t.baseUrl, admin, 'patch', '/api/v1/admin/portal/releases/9.4', { kernel: '6.6.88' }).expect(200);

    const page = await as(t.baseUrl, admin, 'get', '/api/v1/portal/releases/9.4').expect(200);
    expect(page.body).toMatchObject({
      slug: '9.4',
      name: 'OpenCloudOS 9.4',
      kernel: '6.6.88',
      taglineZh: '6.6 内核与龙芯镜像',
      highlightsEn: '## Notable\n\n- **EEVDF** scheduler',
      fullSupportUntil: '2030-06-30',
      eolOn: '2032-06-30',
      artefacts: [expect.objectContaining({ fileName: 'OpenCloudOS-9.4-x86_64-everything.iso' })],
    });
    const issues = (page.body as { knownIssues: { query: string; items: { summary: string }[] } }).knownIssues;
    expect(issues.query).toBe('component:Install');
    expect(issues.items.map((b) => b.summary)).toEqual(['installer panic on boot with 6.6']);

    const audit = await t.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'release.page.update'`);
    expect(audit[0].n).toBe(2);
  });

  it('keeps draft releases out of the pages, the list, the feed, the search and the sitemap', async () => {
    await t.http().get('/api/v1/portal/releases/9.9').expect(404);
    await as(t.baseUrl, admin, 'get', '/api/v1/admin/portal/releases/9.9').expect(200);
    const list = await t.http().get('/api/v1/portal/releases').expect(200);
    expect((list.body as { items: { slug: string }[] }).items.map((r) => r.slug)).toEqual(['9.4', 'stream-23']);
    await t.http().get('/api/v1/portal/releases/stream-23').expect(200);

    const feed = await t.http().get('/api/v1/portal/releases.atom').expect(200);
    expect(feed.headers['content-type']).toMatch(/^application\/atom\+xml/);
    expect(feed.text).toContain('<id>http://127.0.0.1:3000/releases/9.4</id>');
    expect(feed.text).toContain('Kernel 6.6 &amp; &lt;LoongArch&gt; images');
    expect(feed.text).not.toContain('9.9');

    const search = await t.http().get('/api/v1/search').query({ q: '龙芯', type: 'releases' }).expect(200);
    expect(search.body.releases.items).toEqual([expect.objectContaining({ slug: '9.4', name: 'OpenCloudOS 9.4' })]);
    expect(search.body.bugs).toBeNull();
    const byName = await t.http().get('/api/v1/search').query({ q: '9.9' }).expect(200);
    expect(byName.body.releases.items).toEqual([]);

    const sitemap = await t.http().get('/api/v1/portal/sitemap').expect(200);
    const paths = (sitemap.body as { entries: { path: string }[] }).entries.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/releases/9.4', '/releases/stream-23']));
    expect(paths).not.toContain('/releases/9.9');
  });

  it('publishes news written by admins, in feeds and search only once published, with the first date kept', async () => {
    const post = {
      kind: 'news',
      slug: 'opencloudos-9-4-released',
      titleEn: 'OpenCloudOS 9.4 is out',
      titleZh: 'OpenCloudOS 9.4 正式发布',
      summaryEn: 'Kernel 6.6 & friends',
      bodyEn: 'See the [release page](/releases/9.4).',
    };
    await as(t.baseUrl, someone, 'post', '/api/v1/admin/portal/posts', post).expect(403);
    await as(t.baseUrl, admin, 'post', '/api/v1/admin/portal/posts', { ...post, slug: 'Bad Slug' }).expect(400);
    await as(t.baseUrl, admin, 'post', '/api/v1/admin/portal/posts', { ...post, kind: 'blog' }).expect(400);
    const draft = await as(t.baseUrl, admin, 'post', '/api/v1/admin/portal/posts', post).expect(201);
    expect(draft.body).toMatchObject({ status: 'draft', publishedAt: null });
    await as(t.baseUrl, admin, 'post', '/api/v1/admin/portal/posts', post).expect(409);

    await t.http().get('/api/v1/portal/posts/news/opencloudos-9-4-released').expect(404);
    expect((await t.http().get('/api/v1/portal/posts').expect(200)).body).toEqual({ items: [], total: 0 });
    expect((await t.http().get('/api/v1/portal/news.atom').expect(200)).text).not.toContain('9.4 is out');
    const hidden = await t.http().get('/api/v1/search').query({ q: '正式发布', type: 'pages' }).expect(200);
    expect(hidden.body.pages.items).toEqual([]);

    const published = await as(t.baseUrl, admin, 'patch', '/api/v1/admin/portal/posts/news/opencloudos-9-4-released', {
      status: 'published',
    }).expect(200);
    const first = (published.body as { publishedAt: string }).publishedAt;
    expect(first).toEqual(expect.any(String));
    const again = await as(t.baseUrl, admin, 'patch', '/api/v1/admin/portal/posts/news/opencloudos-9-4-released', {
      titleEn: 'OpenCloudOS 9.4 is out!',
      status: 'published',
    }).expect(200);
    expect(again.body.publishedAt).toBe(first);

    const read = await t.http().get('/api/v1/portal/posts/news/opencloudos-9-4-released').expect(200);
    expect(read.body).toMatchObject({ titleEn: 'OpenCloudOS 9.4 is out!', bodyEn: post.bodyEn });
    const feed = await t.http().get('/api/v1/portal/news.atom').expect(200);
    expect(feed.text).toContain('<title>OpenCloudOS 9.4 is out! / OpenCloudOS 9.4 正式发布</title>');
    expect(feed.text).toContain('Kernel 6.6 &amp; friends');
    const found = await t.http().get('/api/v1/search').query({ q: '正式发布', type: 'pages' }).expect(200);
    expect(found.body.pages.items).toEqual([
      expect.objectContaining({ kind: 'news', slug: 'opencloudos-9-4-released' }),
    ]);
    const sitemap = await t.http().get('/api/v1/portal/sitemap').expect(200);
    expect(sitemap.body.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: '/news/opencloudos-9-4-released' })]),
    );
    // a plain page has its own address space
    await as(t.baseUrl, admin, 'post', '/api/v1/admin/portal/posts', {
      kind: 'page',
      slug: 'about',
      titleEn: 'About',
      status: 'published',
    }).expect(201);
    await t.http().get('/api/v1/portal/posts/page/about').expect(200);
    await t.http().get('/api/v1/portal/posts/news/about').expect(404);
  });
});
