import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../../testing/test-app';
import { KojiAdapter } from './koji-adapter';
import { GiteeClient, GiteeError } from './gitee-client';

const FAKES = join(__dirname, '../../../../infra/fakes');

/** Starts an infra/fakes script as its own process, as the bench and `DEMO_FAKES=1 npm start` do. */
async function runFake(script: string, env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
  const child = fork(join(FAKES, script), [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.once('message', (m: { type?: string; port?: number }) =>
      m.type === 'listening' && m.port ? resolve(m.port) : reject(new Error(JSON.stringify(m))),
    );
  });
  return { port, child };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

describe('the fakes of infra/fakes, run as processes', () => {
  let gitee: { port: number; child: ChildProcess };
  let koji: { port: number; child: ChildProcess };
  let t: TestApp;

  beforeAll(async () => {
    [gitee, koji] = await Promise.all([
      runFake('gitee.js', { FAKE_GITEE_PORT: '0', FAKE_GITEE_ORGS: 'src-opencloudos-rpms:2500' }),
      runFake('koji.js', { FAKE_KOJI_PORT: '0', FAKE_KOJI_PACKAGES: '2500' }),
    ]);
    t = await startTestApp({ GITEE_WEBHOOK_SECRET: 'fake-process-secret', SYNC_GITEE_ORGS: 'src-opencloudos-rpms' });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([gitee && stop(gitee.child), koji && stop(koji.child)]);
  });

  const giteeUrl = () => `http://127.0.0.1:${gitee.port}`;
  const client = () =>
    new GiteeClient({
      apiUrl: `${giteeUrl()}/api/v5`,
      token: '',
      timeoutMs: 5000,
      maxWaitSeconds: 5,
      attempts: 2,
      spend: () => Promise.resolve(),
      sleep: () => Promise.resolve(),
    });

  it('serves 2,500 deterministic repositories in pages of 100 with Gitee’s headers', async () => {
    const first = await client().listOrgRepos('src-opencloudos-rpms', 1);
    expect(first).toMatchObject({ totalCount: 2500, totalPages: 25 });
    expect(first.repos.slice(0, 3).map((r) => r.full_name)).toEqual([
      'src-opencloudos-rpms/acl',
      'src-opencloudos-rpms/attr',
      'src-opencloudos-rpms/audit',
    ]);
    const last = await client().listOrgRepos('src-opencloudos-rpms', 25);
    expect(last.repos).toHaveLength(100);
    expect(new Set(last.repos.map((r) => r.path)).size).toBe(100);
    expect(await client().branches('src-opencloudos-rpms', 'openssl')).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'oc9' })]),
    );
  });

  it('takes fault switches from another process: a 500 page, then a truncated one', async () => {
    const faults = (body: object) =>
      fetch(`${giteeUrl()}/_fake/faults`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
    await faults({ failPage: 2 });
    await expect(client().listOrgRepos('src-opencloudos-rpms', 2)).rejects.toBeInstanceOf(GiteeError);
    await faults({ truncatePage: 3 });
    expect((await client().listOrgRepos('src-opencloudos-rpms', 3)).repos).toHaveLength(50);
    await faults({});
    const stats = (await (await fetch(`${giteeUrl()}/_fake/stats`)).json()) as { requests: number };
    expect(stats.requests).toBeGreaterThan(0);
  });

  it('runs Gitee’s OAuth2 code flow', async () => {
    const authorize = await fetch(
      `${giteeUrl()}/oauth/authorize?client_id=fake-client&response_type=code&state=s1&redirect_uri=${encodeURIComponent('http://app.test/cb')}`,
      { redirect: 'manual' },
    );
    expect(authorize.status).toBe(302);
    const back = new URL(authorize.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('s1');
    const token = await fetch(`${giteeUrl()}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code')!,
        client_id: 'fake-client',
        client_secret: 'fake-secret',
        redirect_uri: 'http://app.test/cb',
      }),
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const user = await fetch(`${giteeUrl()}/api/v5/user?access_token=${access_token}`);
    expect(await user.json()).toMatchObject({ login: 'gitee-dev' });
    const wrong = await fetch(`${giteeUrl()}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'x',
        client_id: 'fake-client',
        client_secret: 'no',
      }),
    });
    expect(wrong.status).toBe(401);
  });

  it('pushes and delivers a signed Push Hook that the hub accepts', async () => {
    const res = await fetch(`${giteeUrl()}/_fake/push`, {
      method: 'POST',
      body: JSON.stringify({
        repo: 'src-opencloudos-rpms/openssl',
        branch: 'oc9',
        commits: [{ id: 'ab'.repeat(20), message: 'Fix the handshake' }],
        hookUrl: `${t.baseUrl}/api/v1/webhooks/gitee`,
        secret: 'fake-process-secret',
      }),
    });
    const body = (await res.json()) as { delivered: { status: number; body: string } };
    expect(body.delivered.status).toBe(202);
    expect(JSON.parse(body.delivered.body)).toMatchObject({ queued: ['sync.gitee-repo', 'sync.gitee-push'] });
  });

  it('answers Koji’s calls for builds of 2,500 packages, and cuts an answer short when told to', async () => {
    const adapter = new KojiAdapter(`http://127.0.0.1:${koji.port}/kojihub`, 'http://koji.test/koji', 5000);
    const builds = await adapter.buildsCreatedAfter(0, 200);
    expect(builds).toHaveLength(200);
    expect(new Set(builds.map((b) => b.packageName)).size).toBeGreaterThan(30);
    const details = await adapter.details(builds[0]);
    expect(details.target).toMatch(/^dist-oc[89]$/);
    expect(details.sourceUrl).toMatch(/^git\+https:\/\/gitee\.com\/src-opencloudos-rpms\/acl\?#[0-9a-f]{40}$/);
    const tagged = await adapter.tagged('dist-oc9');
    expect(tagged.length).toBeGreaterThan(2000);
    await fetch(`http://127.0.0.1:${koji.port}/_fake/faults`, {
      method: 'POST',
      body: JSON.stringify({ truncateNext: 1 }),
    });
    await expect(adapter.tagged('dist-oc9')).rejects.toThrow();
    expect((await adapter.tagged('dist-oc9')).length).toBe(tagged.length);
  });
});
