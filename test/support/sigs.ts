import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { baseUrl, unique } from './e2e-env';
import type { TestUser } from './users';

const execFileAsync = promisify(execFile);

/** The suite's database (set by globalSetup; or E2E_DATABASE_URL when testing a running product). */
function databaseUrl(): string {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error('E2E_DATABASE_URL is not set: site roles can only be granted in the suite database');
  return url;
}

/** Grants a site role (admin, toc …) directly in the database: no API hands out the first admin. */
export async function grantSiteRole(username: string, role: 'admin' | 'toc'): Promise<void> {
  if (!/^[a-z][a-z0-9_-]*$/.test(username)) throw new Error(`unexpected username ${username}`);
  const sql = `INSERT INTO user_roles (user_id, role) SELECT id, '${role}' FROM users WHERE username = '${username}' ON CONFLICT DO NOTHING`;
  await execFileAsync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-d', databaseUrl(), '-c', sql]);
}

/** A logged-in API session of a test user: its cookie and CSRF token, for unsafe calls. */
export interface ApiSession {
  call(method: string, path: string, body?: unknown): Promise<Response>;
}

export async function apiSession(user: TestUser): Promise<ApiSession> {
  const login = await fetch(`${baseUrl()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', origin: baseUrl() },
    body: JSON.stringify({ login: user.username, password: user.password }),
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ');
  return {
    call: (method, path, body) =>
      fetch(`${baseUrl()}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          origin: baseUrl(),
          cookie,
          'x-csrf-token': csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
}

export interface TestSig {
  slug: string;
  nameZh: string;
  nameEn: string;
}

/** An active SIG created by an admin, with the given leads (usernames). */
export async function createActiveSig(
  admin: ApiSession,
  leads: string[],
  overrides: Partial<TestSig> & { description?: string; mailingList?: string } = {},
): Promise<TestSig> {
  const suffix = unique();
  const sig = {
    slug: `e2e-${suffix}`,
    nameZh: `测试小组${suffix}`,
    nameEn: `Test group ${suffix}`,
    description: 'A SIG made by the browser tests.\n\nIt has a second paragraph.',
    mailingList: `sig-${suffix}@lists.example.test`,
    meetingCadence: 'weekly',
    founders: leads,
    leads,
    ...overrides,
  };
  const created = await admin.call('POST', '/api/v1/sigs', sig);
  if (created.status !== 201) throw new Error(`creating the SIG answered ${created.status}: ${await created.text()}`);
  const body = (await created.json()) as { status: string };
  if (body.status !== 'active') throw new Error(`the SIG is ${body.status}, not active`);
  return { slug: sig.slug, nameZh: sig.nameZh, nameEn: sig.nameEn };
}

/** A package owned by the given SIG, created over the API (by an admin or one of the SIG's leads). */
export async function createPackage(
  session: ApiSession,
  sig: string,
  overrides: { name?: string; description?: string; upstreamUrl?: string } = {},
): Promise<{ name: string }> {
  const body = {
    name: `e2e-pkg-${unique()}`,
    sig,
    description: 'A package made by the browser tests.',
    upstreamUrl: 'https://example.test/upstream',
    branches: ['oc9'],
    ...overrides,
  };
  const created = await session.call('POST', '/api/v1/packages', body);
  if (created.status !== 201)
    throw new Error(`creating the package answered ${created.status}: ${await created.text()}`);
  return { name: body.name };
}

/** Sets when a member's membership ends, directly in the database (no API sets a date in the past or near future for tests). */
export async function setMembershipExpiry(sigSlug: string, username: string, daysFromNow: number): Promise<void> {
  if (!/^[a-z][a-z0-9_-]*$/.test(username) || !/^[a-z][a-z0-9-]*$/.test(sigSlug)) throw new Error('unexpected name');
  const sql = `UPDATE sig_memberships SET expires_at = now() + interval '${Math.trunc(daysFromNow)} days'
    WHERE sig_id = (SELECT id FROM sigs WHERE slug = '${sigSlug}')
      AND user_id = (SELECT id FROM users WHERE username = '${username}')`;
  await execFileAsync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-d', databaseUrl(), '-c', sql]);
}
