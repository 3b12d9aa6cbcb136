import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileBug, makeBugProducts } from '../../testing/bugs';
import { login, Login, makeUser, MadeUser } from '../../testing/factories';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';

const run = promisify(execFile);
const CLI = '/usr/bin/bugzilla';
const PY = '/usr/bin/python3';

/** The real python-bugzilla client (Debian's python3-bugzilla + bugzilla-cli) against the product. */
describe('python-bugzilla against /rest', () => {
  let t: TestApp;
  let url: string;
  let home: string;
  let lead: MadeUser;
  let reporter: MadeUser;
  let other: MadeUser;
  let sLead: Login;
  let sReporter: Login;
  let pkg: string;
  let key: string;
  let publicBug: number;
  let privateBug: number;

  /** Runs the CLI with an isolated HOME (bugzillarc, token cache) and no proxies. */
  const bz = async (args: string[], opts: { home?: string; input?: string } = {}) => {
    const child = run(CLI, ['--bugzilla', url, ...args], {
      env: { PATH: '/usr/bin:/bin', HOME: opts.home ?? home, LANG: 'C.UTF-8', NO_PROXY: '*' },
      timeout: 60_000,
    });
    if (opts.input !== undefined) {
      child.child.stdin?.end(opts.input);
    } else child.child.stdin?.end();
    return child;
  };

  beforeAll(async () => {
    if (!existsSync(CLI))
      throw new Error(
        `${CLI} is missing: install the Debian packages python3-bugzilla and bugzilla-cli (.ci/run does)`,
      );
    t = await startTestApp();
    url = `${t.baseUrl}/rest/`;
    home = mkdtempSync(join(tmpdir(), 'och-bz-'));
    [lead, reporter, other] = await Promise.all([makeUser(t.ds), makeUser(t.ds), makeUser(t.ds)]);
    const sig = await makeSig(t.ds, { members: [[lead.user.id, 'lead']] });
    await t.ds.query(`UPDATE sigs SET bug_default_assignee_id = $1 WHERE id = $2`, [lead.user.id, sig.id]);
    pkg = (await makePackage(t.ds, sig.id)).name;
    await makeBugProducts(t.ds);
    [sLead, sReporter] = await Promise.all([
      login(t.baseUrl, lead.user.username),
      login(t.baseUrl, reporter.user.username),
    ]);
    const created = await as(t.baseUrl, sLead, 'post', '/api/v1/me/tokens', { name: 'python-bugzilla' }).expect(201);
    key = (created.body as { token: string }).token;
    publicBug = await fileBug(t.baseUrl, sReporter, { component: pkg, summary: 'kernel panics on resume' });
    privateBug = await fileBug(t.baseUrl, sReporter, {
      component: pkg,
      summary: 'secret overflow in parser',
      isPrivate: true,
    });
    mkdirSync(join(home, '.config/python-bugzilla'), { recursive: true });
    writeFileSync(join(home, '.config/python-bugzilla/bugzillarc'), `[${new URL(t.baseUrl).host}]\napi_key = ${key}\n`);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('logs in with username and password and uses the cached token', async () => {
    const h = mkdtempSync(join(tmpdir(), 'och-bz-login-'));
    try {
      const res = await bz(['login', reporter.user.email, reporter.password], { home: h });
      expect(res.stdout).toContain('Login successful');
      const q = await bz(['query', '-b', String(privateBug)], { home: h });
      // the reporter sees their own private bug through the token
      expect(q.stdout).toContain('secret overflow in parser');
      const bad = await bz(['login', reporter.user.email, 'wrong password'], { home: h }).catch((e: unknown) => e);
      expect(bad).toMatchObject({ code: 1 });
    } finally {
      rmSync(h, { recursive: true, force: true });
    }
  });

  it('verifies an API key with login --api-key', async () => {
    const h = mkdtempSync(join(tmpdir(), 'och-bz-key-'));
    try {
      const res = await bz(['login', '--api-key'], { home: h, input: `${key}\n` });
      expect(res.stdout).toContain('API Key: Login successful');
    } finally {
      rmSync(h, { recursive: true, force: true });
    }
  });

  it('queries by product, component and status, never showing a private bug to a stranger', async () => {
    const res = await bz([
      '--no-cache-credentials',
      'query',
      '--product',
      'OpenCloudOS',
      '--component',
      pkg,
      '--status',
      'UNCONFIRMED',
    ]);
    expect(res.stdout).toContain(`#${publicBug}`);
    expect(res.stdout).toContain('kernel panics on resume');
    expect(res.stdout).not.toContain('secret overflow');
    const open = await bz([
      '--no-cache-credentials',
      'query',
      '--product',
      'OpenCloudOS',
      '--status',
      'NEW',
      '--outputformat',
      '%{id}',
    ]);
    expect(open.stdout).not.toContain(String(publicBug)); // NEW means CONFIRMED, and this bug is UNCONFIRMED
  });

  it('shows a bug with its comments', async () => {
    const full = await bz(['query', '-b', String(publicBug), '--full']);
    expect(full.stdout).toContain('kernel panics on resume');
    const script = `import bugzilla, sys
bz = bugzilla.Bugzilla(sys.argv[1], api_key=sys.argv[2])
bug = bz.getbug(int(sys.argv[3]))
print(bug.summary)
for c in bug.getcomments():
    print(c["count"], c["text"])
`;
    const res = await run(PY, ['-c', script, url, key, String(publicBug)], {
      env: { HOME: home, PATH: '/usr/bin:/bin' },
    });
    expect(res.stdout).toContain('kernel panics on resume');
    expect(res.stdout).toContain('0 Steps to reproduce: boot.');
  });

  it('files a bug, comments, reassigns, changes CC and closes it', async () => {
    const created = await bz([
      'new',
      '-p',
      'OpenCloudOS',
      '-c',
      pkg,
      '-v',
      '9.2',
      '-t',
      'filed from the CLI',
      '-l',
      'described in the CLI',
      '--outputformat',
      '%{id}',
    ]);
    const id = Number(created.stdout.trim());
    expect(id).toBeGreaterThan(0);
    let bug = (await t.http().get(`/api/v1/bugs/${id}`).expect(200)).body;
    expect(bug).toMatchObject({ summary: 'filed from the CLI', reporter: lead.user.username, status: 'CONFIRMED' });

    await bz(['modify', String(id), '--comment', 'a comment from the CLI']);
    await bz(['modify', String(id), '--assigned_to', other.user.email, '--cc', reporter.user.email]);
    bug = (await t.http().get(`/api/v1/bugs/${id}`).expect(200)).body;
    expect(bug.assignee).toBe(other.user.username);
    expect(bug.cc).toEqual([reporter.user.username]);
    expect(bug.comments.map((c: { body: string }) => c.body)).toContain('a comment from the CLI');

    await bz(['modify', String(id), `--cc=-${reporter.user.email}`]);
    await bz(['modify', String(id), '--status', 'RESOLVED', '--field', 'resolution=FIXED']);
    bug = (await t.http().get(`/api/v1/bugs/${id}`).expect(200)).body;
    expect(bug).toMatchObject({ status: 'RESOLVED', resolution: 'FIXED', cc: [] });

    await bz(['modify', String(id), '--status', 'CONFIRMED']);
    await bz(['modify', String(id), '--close', 'WONTFIX']); // sends status CLOSED: taken as RESOLVED
    bug = (await t.http().get(`/api/v1/bugs/${id}`).expect(200)).body;
    expect(bug).toMatchObject({ status: 'RESOLVED', resolution: 'WONTFIX' });
  });

  it('shows the server message when a change is refused', async () => {
    const h = mkdtempSync(join(tmpdir(), 'och-bz-stranger-'));
    try {
      await bz(['login', other.user.email, other.password], { home: h });
      const err = await bz(['modify', String(publicBug), '--status', 'RESOLVED', '--field', 'resolution=FIXED'], {
        home: h,
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 2 });
      expect((err as { stdout: string }).stdout).toMatch(/401 Client Error: You may not move this bug/);
    } finally {
      rmSync(h, { recursive: true, force: true });
    }
  });

  it('lists products, components and versions', async () => {
    const products = await bz(['info', '--products']);
    expect(products.stdout.split('\n')).toEqual(expect.arrayContaining(['OpenCloudOS', 'OpenCloudOS SIG']));
    const components = await bz(['info', '--components', 'OpenCloudOS']);
    expect(components.stdout.split('\n')).toEqual(expect.arrayContaining(['General', 'Install', pkg]));
    const owners = await bz(['info', '--component_owners', 'OpenCloudOS']);
    expect(owners.stdout).toContain(`${pkg}: ${lead.user.email}`);
    const versions = await bz(['info', '--versions', 'OpenCloudOS']);
    expect(versions.stdout.split('\n')).toEqual(expect.arrayContaining(['9.2', '8.6']));
  });
});
