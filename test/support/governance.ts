import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BrowserContext } from 'playwright-core';
import { baseUrl } from './e2e-env';
import type { ApiSession } from './sigs';
import type { TestUser } from './users';
export { logIn } from './browser';

const execFileAsync = promisify(execFile);

export type Office = 'chair' | 'vice_chair' | 'secretary';

function databaseUrl(): string {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error('E2E_DATABASE_URL is not set: bodies can only be seated in the suite database');
  return url;
}

async function psql(sql: string): Promise<void> {
  await execFileAsync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-d', databaseUrl(), '-c', sql]);
}

/**
 * Seats exactly these people in a body, straight in the database (no API seats the first chair):
 * every term still running ends now, so each test has the electorate it names, then each person
 * gets a term that began an hour ago and runs for a year.
 */
export async function seatBody(body: string, members: Array<[TestUser, Office | null]>): Promise<void> {
  if (!/^[a-z][a-z0-9-]{1,31}$/.test(body)) throw new Error(`unexpected body ${body}`);
  const rows = members.map(([user, office]) => {
    if (!/^[a-z][a-z0-9_-]*$/.test(user.username)) throw new Error(`unexpected username ${user.username}`);
    return `('${user.username}', ${office ? `'${office}'` : 'NULL'})`;
  });
  await psql(`BEGIN;
    UPDATE gov_body_members SET term_end = now()
      WHERE body_id = (SELECT id FROM gov_bodies WHERE slug = '${body}') AND term_start < now() AND term_end > now();
    INSERT INTO gov_body_members (body_id, user_id, office, term_start, term_end)
      SELECT b.id, u.id, m.office, now() - interval '1 hour', now() + interval '1 year'
      FROM (VALUES ${rows.join(', ')}) AS m(username, office)
      JOIN users u ON u.username = m.username
      CROSS JOIN gov_bodies b WHERE b.slug = '${body}';
    COMMIT;`);
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status !== status) throw new Error(`${what} answered ${response.status}: ${await response.text()}`);
}

/** Creates a proposal over the API and returns its id. */
export async function propose(session: ApiSession, body: Record<string, unknown>): Promise<number> {
  const response = await session.call('POST', '/api/v1/governance/proposals', body);
  await expectStatus(response, 201, 'creating the proposal');
  return ((await response.json()) as { id: number }).id;
}

/** Opens voting now, for this many hours (as an officer). */
export async function openVoting(session: ApiSession, id: number, hours: number): Promise<void> {
  const response = await session.call('POST', `/api/v1/governance/proposals/${id}/open`, { hours });
  await expectStatus(response, 200, 'opening the vote');
}

/** Casts a ballot over the API; true when it closed the vote. */
export async function castBallot(session: ApiSession, id: number, ballot: Record<string, unknown>): Promise<boolean> {
  const response = await session.call('PUT', `/api/v1/governance/proposals/${id}/ballot`, ballot);
  await expectStatus(response, 200, 'casting the ballot');
  return ((await response.json()) as { closed: boolean }).closed;
}

interface Login {
  cookies: { name: string; value: string }[];
  csrfToken: string;
}

// one login per person for the whole file: checking a password is deliberately slow
const logins = new Map<string, Promise<Login>>();

function login(user: TestUser): Promise<Login> {
  let pending = logins.get(user.username);
  if (!pending) {
    pending = (async () => {
      const response = await fetch(`${baseUrl()}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', origin: baseUrl() },
        body: JSON.stringify({ login: user.username, password: user.password }),
      });
      await expectStatus(response, 200, 'logging in');
      const { csrfToken } = (await response.json()) as { csrfToken: string };
      const cookies = response.headers.getSetCookie().map((header) => {
        const [pair = ''] = header.split(';');
        const eq = pair.indexOf('=');
        return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
      });
      return { cookies, csrfToken };
    })();
    logins.set(user.username, pending);
  }
  return pending;
}

/** An API session of a test user (the same session signIn gives the browser). */
export async function sessionOf(user: TestUser): Promise<ApiSession> {
  const { cookies, csrfToken } = await login(user);
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
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

/** Signs a browser context in with the person's session (quicker than the login page, which other suites cover). */
export async function signIn(context: BrowserContext, user: TestUser): Promise<void> {
  const { cookies } = await login(user);
  await context.addCookies(cookies.map((c) => ({ ...c, url: baseUrl() })));
}
