import type { SyncGiteePushPayload } from '../../queue/jobs';
import { fileBug, makeBugProducts } from '../../testing/bugs';
import { login, Login, makeUser } from '../../testing/factories';
import { giteeSignature, pushHookPayload } from '../../testing/fake-gitee-api';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { OutboxService } from '../../queue/outbox.service';
import { QueueRegistry } from '../../queue/queue-registry.service';
import { CommitLinksService } from './commit-links.service';
import { GiteeWebhookService } from './gitee-webhook.service';

const SECRET = 'webhook-secret-for-tests';
const ORG = 'src-opencloudos-rpms';

let shaSeq = 0;
const sha = () => (++shaSeq).toString(16).padStart(40, 'a');

describe('the Gitee webhook and the commit → bug trail', () => {
  let t: TestApp;
  let reporter: Login;
  let pkgName: string;
  let otherPkg: string;

  beforeAll(async () => {
    t = await startTestApp({
      GITEE_WEBHOOK_SECRET: SECRET,
      SYNC_GITEE_ORGS: ORG,
      SYNC_GITEE_API_URL: 'http://127.0.0.1:9/api/v5',
    });
    await makeBugProducts(t.ds);
    const sig = await makeSig(t.ds);
    pkgName = (await makePackage(t.ds, sig.id, 'openssl')).name;
    otherPkg = (await makePackage(t.ds, sig.id, 'zlib')).name;
    const u = await makeUser(t.ds);
    reporter = await login(t.baseUrl, u.user.username);
  });
  afterAll(async () => {
    await t?.close();
  });

  const deliver = (body: object, headers: Record<string, string>) =>
    t
      .http()
      .post('/api/v1/webhooks/gitee')
      .set({ 'user-agent': 'git-oschina-hook', 'x-gitee-event': 'Push Hook', ...headers })
      .send(body);
  const signed = (ts = String(Date.now())) => ({
    'x-gitee-timestamp': ts,
    'x-gitee-token': giteeSignature(SECRET, ts),
  });
  const outbox = (name: string) =>
    t.ds.query<{ payload: unknown }[]>(`SELECT payload FROM outbox WHERE job_name = $1 ORDER BY id`, [name]);
  const push = (branch: string, commits: { id: string; message: string }[], repo = `${ORG}/${pkgName}`) =>
    pushHookPayload({ repo, branch, commits });

  it('accepts a signed push and queues a refresh of the repository and the commit links', async () => {
    const id = sha();
    const res = await deliver(push('oc9', [{ id, message: 'update' }]), signed()).expect(202);
    expect(res.body).toEqual({
      event: 'Push Hook',
      repository: `${ORG}/openssl`,
      queued: ['sync.gitee-repo', 'sync.gitee-push'],
    });
    expect((await outbox('sync.gitee-repo')).at(-1)?.payload).toEqual({ fullName: `${ORG}/openssl` });
    expect((await outbox('sync.gitee-push')).at(-1)?.payload).toEqual({
      repo: `${ORG}/openssl`,
      branch: 'oc9',
      commits: [{ id, message: 'update', url: `https://gitee.com/${ORG}/openssl/commit/${id}`, author: 'dev' }],
    });
  });

  it('accepts the plain password form of X-Gitee-Token too', async () => {
    const res = await deliver(push('oc8', []), {
      'x-gitee-timestamp': String(Date.now()),
      'x-gitee-token': SECRET,
    }).expect(202);
    expect(res.body.queued).toEqual(['sync.gitee-repo']); // no commits: nothing to link
  });

  it('refuses forged, stale, future and replayed deliveries, queueing nothing', async () => {
    const before = (await outbox('sync.gitee-repo')).length;
    const body = push('oc9', [{ id: sha(), message: 'Fixes: #1' }]);
    const now = String(Date.now());
    await deliver(body, { 'x-gitee-timestamp': now, 'x-gitee-token': giteeSignature('wrong-secret', now) }).expect(401);
    await deliver(body, { 'x-gitee-timestamp': now, 'x-gitee-token': 'guess' }).expect(401);
    await deliver(body, { 'x-gitee-token': giteeSignature(SECRET, now) }).expect(401);
    await deliver(body, {}).expect(401);
    // a signature made for one timestamp does not fit another
    await deliver(body, {
      'x-gitee-timestamp': String(Date.now() + 1),
      'x-gitee-token': giteeSignature(SECRET, now),
    }).expect(401);
    await deliver(body, signed(String(Date.now() - 10 * 60_000))).expect(401);
    await deliver(body, signed(String(Date.now() + 10 * 60_000))).expect(401);

    const once = signed();
    await deliver(body, once).expect(202);
    const replay = await deliver(body, once).expect(409);
    expect(replay.body.code).toBe('webhook_replayed');
    expect((await outbox('sync.gitee-repo')).length).toBe(before + 1);
  });

  it('refuses every delivery while no secret is configured', async () => {
    const closed = new GiteeWebhookService(
      t.ds,
      { ...t.config, giteeWebhookSecret: '' },
      t.app.get(OutboxService),
      t.app.get(QueueRegistry),
    );
    const ts = String(Date.now());
    await expect(
      closed.receive(
        { 'x-gitee-timestamp': ts, 'x-gitee-token': giteeSignature('', ts), 'x-gitee-event': 'Push Hook' },
        {},
      ),
    ).rejects.toMatchObject({ kind: 'unavailable', code: 'webhooks_disabled' });
  });

  it('answers 400 to payloads Gitee would not send, and acknowledges other events without work', async () => {
    const bad = [
      {},
      { repository: { full_name: 'no-slash' }, ref: 'refs/heads/oc9', commits: [] },
      { repository: { full_name: `${ORG}/openssl` }, ref: 'oc9', commits: [] },
      { repository: { full_name: `${ORG}/openssl` }, ref: 'refs/heads/oc9', commits: 'x' },
      { repository: { full_name: `${ORG}/openssl` }, ref: 'refs/heads/oc9', commits: [{ id: 'zz', url: 'x' }] },
    ];
    for (const body of bad) {
      const res = await deliver(body, signed()).expect(400);
      expect(res.body.code).toBe('webhook_invalid');
    }
    await t
      .http()
      .post('/api/v1/webhooks/gitee')
      .set({ 'x-gitee-event': 'Push Hook', ...signed(), 'content-type': 'application/json' })
      .send('{not json')
      .expect(400);
    const note = await deliver({ noteable_type: 'Issue' }, { ...signed(), 'x-gitee-event': 'Note Hook' }).expect(202);
    expect(note.body).toEqual({ event: 'Note Hook', repository: null, queued: [] });
    await deliver({}, { ...signed(), 'x-gitee-event': '' }).expect(400);
  });

  /** Delivers a push over HTTP, then runs the queued job the way the worker does. */
  async function pushAndProcess(branch: string, commits: { id: string; message: string }[], repo?: string) {
    const res = await deliver(push(branch, commits, repo), signed()).expect(202);
    expect(res.body.queued).toContain('sync.gitee-push');
    const payload = (await outbox('sync.gitee-push')).at(-1)!.payload as SyncGiteePushPayload;
    return t.app.get(CommitLinksService).process(payload);
  }

  const bugOf = async (id: number, who: Login | null = reporter) =>
    (await as(t.baseUrl, who, 'get', `/api/v1/bugs/${id}`).expect(200)).body as {
      status: string;
      resolution: string | null;
      comments: { author: { username: string }; body: string }[];
    };

  it('comments on bugs a commit names, resolves those a release-branch commit fixes, once per commit', async () => {
    const fixed = await fileBug(t.baseUrl, reporter, { component: pkgName });
    const mentioned = await fileBug(t.baseUrl, reporter, { component: pkgName });
    const elsewhere = await fileBug(t.baseUrl, reporter, { component: otherPkg });
    const fix = sha();
    const other = sha();
    const r = await pushAndProcess('oc9', [
      { id: fix, message: `openssl: fix the handshake crash\n\nFixes: #${fixed}\nSee bug ${mentioned}` },
      { id: other, message: `Fixes: OCBZ#${elsewhere} (wrong package: only a cross-reference)\nFixes: #99999999` },
    ]);
    expect(r).toEqual({ commented: 3, resolved: 1, skipped: 1 });

    const a = await bugOf(fixed);
    expect(a).toMatchObject({ status: 'RESOLVED', resolution: 'FIXED' });
    const note = a.comments.at(-1)!;
    expect(note.author.username).toBe('gitee-bot');
    expect(note.body).toContain(`https://gitee.com/${ORG}/openssl/commit/${fix}`);
    expect(note.body).toContain('fixes this bug');
    const history = (await as(t.baseUrl, reporter, 'get', `/api/v1/bugs/${fixed}/history`).expect(200)).body as {
      who: string;
      field: string;
      added: string;
    }[];
    expect(history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ who: 'gitee-bot', field: 'status', added: 'RESOLVED' }),
        expect.objectContaining({ who: 'gitee-bot', field: 'resolution', added: 'FIXED' }),
      ]),
    );
    const b = await bugOf(mentioned);
    expect(b.status).not.toBe('RESOLVED');
    expect(b.comments.at(-1)!.body).toContain('mentions this bug');
    const c = await bugOf(elsewhere);
    expect(c.status).not.toBe('RESOLVED');
    expect(c.comments.at(-1)!.body).toContain(other);

    // Gitee sends the same push again (or the job is retried): nothing new
    const again = await pushAndProcess('oc9', [
      { id: fix, message: `Fixes: #${fixed}\nSee bug ${mentioned}` },
      { id: other, message: `Fixes: OCBZ#${elsewhere}` },
    ]);
    expect(again).toEqual({ commented: 0, resolved: 0, skipped: 3 });
    expect((await bugOf(fixed)).comments).toHaveLength(a.comments.length);
  });

  it('only comments for a fix pushed to a non-release branch', async () => {
    const bug = await fileBug(t.baseUrl, reporter, { component: pkgName });
    expect(await pushAndProcess('master', [{ id: sha(), message: `Fixes: #${bug}` }])).toEqual({
      commented: 1,
      resolved: 0,
      skipped: 0,
    });
    expect((await bugOf(bug)).status).not.toBe('RESOLVED');
  });

  it('records a fix on a private bug inside the bug only, where outsiders cannot see it', async () => {
    const bug = await fileBug(t.baseUrl, reporter, { component: pkgName, isPrivate: true });
    const id = sha();
    expect(await pushAndProcess('oc9', [{ id, message: `Fixes: #${bug}` }])).toEqual({
      commented: 1,
      resolved: 1,
      skipped: 0,
    });
    const seen = await bugOf(bug);
    expect(seen).toMatchObject({ status: 'RESOLVED', resolution: 'FIXED' });
    expect(seen.comments.at(-1)!.body).toContain(id);
    await as(t.baseUrl, null, 'get', `/api/v1/bugs/${bug}`).expect(404);
    const stranger = await login(t.baseUrl, (await makeUser(t.ds)).user.username);
    await as(t.baseUrl, stranger, 'get', `/api/v1/bugs/${bug}`).expect(404);
    await as(t.baseUrl, stranger, 'get', `/api/v1/bugs/${bug}/history`).expect(404);
  });

  it('finishes a link a crash left half done without commenting twice', async () => {
    const bug = await fileBug(t.baseUrl, reporter, { component: pkgName });
    const id = sha();
    const links = t.app.get(CommitLinksService);
    const payload: SyncGiteePushPayload = {
      repo: `${ORG}/${pkgName}`,
      branch: 'master',
      commits: [{ id, message: `bug ${bug}`, url: `https://gitee.com/${ORG}/openssl/commit/${id}`, author: 'dev' }],
    };
    await links.process(payload);
    // as if the worker died after commenting but before marking the link done
    await t.ds.query(`UPDATE sync_commit_bug_links SET commented_at = NULL WHERE commit_sha = $1`, [id]);
    const before = (await bugOf(bug)).comments.length;
    expect(await links.process(payload)).toEqual({ commented: 1, resolved: 0, skipped: 0 });
    expect((await bugOf(bug)).comments).toHaveLength(before);
    const [row] = await t.ds.query<{ commented_at: Date | null }[]>(
      `SELECT commented_at FROM sync_commit_bug_links WHERE commit_sha = $1`,
      [id],
    );
    expect(row.commented_at).not.toBeNull();
  });

  it('ignores pushes from organisations it does not sync', async () => {
    const bug = await fileBug(t.baseUrl, reporter, { component: pkgName });
    const res = await deliver(push('oc9', [{ id: sha(), message: `Fixes: #${bug}` }], 'someone/openssl'), signed());
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ event: 'Push Hook', repository: 'someone/openssl', queued: [] });
    const id = sha();
    const payload: SyncGiteePushPayload = {
      repo: 'someone/openssl',
      branch: 'oc9',
      commits: [{ id, message: `Fixes: #${bug}`, url: `https://gitee.com/someone/openssl/commit/${id}`, author: 'x' }],
    };
    expect(await t.app.get(CommitLinksService).process(payload)).toEqual({ commented: 0, resolved: 0, skipped: 0 });
    expect((await bugOf(bug)).comments).toHaveLength(1);
  });
});
