import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';

/**
 * Sends one request exactly as autocannon will (no Accept-Encoding, no automatic decompression)
 * and returns status, content-type and the raw body, so the baseline can copy its shape.
 */
export function rawRequest(baseUrl, { method, path, headers = {}, body }) {
  return new Promise((resolveResponse, reject) => {
    const req = httpRequest(new URL(path, baseUrl), { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolveResponse({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.end(body);
  });
}

async function expectOk(res, what) {
  if (res.ok) return res;
  throw new Error(`${what} answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
}

/**
 * What a scenario's setup() gets: the product's address, the bench database, and helpers for the
 * usual preparations. Helpers that make a user cache it, so scenarios can share one.
 */
export function createContext({ baseUrl, db, databaseUrl, repoRoot }) {
  const origin = new URL(baseUrl).origin;
  let defaultUser;

  const ctx = {
    baseUrl,
    /** pg.Pool on the bench database, for what the API does not offer (e.g. verifying mail). */
    db,
    /** The bench database's URL, for helpers that need their own connections (bulk seeding). */
    databaseUrl,
    /** The repository the product was built from (api/dist lives there). */
    repoRoot,

    /** fetch() against the product; sends Origin like a browser would, for CSRF checks. */
    fetch(path, init = {}) {
      return fetch(new URL(path, baseUrl), { ...init, headers: { origin, ...init.headers } });
    },

    /** Registers a user and marks the address verified directly in the database. */
    async createUser(prefix = 'bench') {
      const suffix = randomBytes(4).toString('hex');
      const user = {
        username: `${prefix}_${suffix}`,
        email: `${prefix}_${suffix}@bench.invalid`,
        password: `Bench-${randomBytes(12).toString('hex')}`,
      };
      await expectOk(
        await ctx.fetch('/api/v1/auth/register', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(user),
        }),
        'POST /api/v1/auth/register',
      );
      await db.query('UPDATE users SET email_verified_at = now() WHERE username = $1', [user.username]);
      return user;
    },

    /** Logs in with the password; returns the session cookie and the CSRF token that goes with it. */
    async login(user) {
      const res = await expectOk(
        await ctx.fetch('/api/v1/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ login: user.username, password: user.password }),
        }),
        'POST /api/v1/auth/login',
      );
      const session = res.headers.getSetCookie().find((c) => c.startsWith('och_session='));
      if (!session) throw new Error('login set no och_session cookie');
      const { csrfToken } = await res.json();
      return { cookie: session.split(';')[0], csrfToken };
    },

    /** Creates a personal API token through a logged-in session. */
    async createApiToken(session, name = 'bench') {
      const res = await expectOk(
        await ctx.fetch('/api/v1/me/tokens', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            cookie: session.cookie,
            'x-csrf-token': session.csrfToken,
          },
          body: JSON.stringify({ name }),
        }),
        'POST /api/v1/me/tokens',
      );
      const { token } = await res.json();
      if (!token) throw new Error('POST /api/v1/me/tokens returned no token');
      return token;
    },

    /** One verified user with a session and an API token, made on first use. */
    async defaultUser() {
      defaultUser ??= (async () => {
        const user = await ctx.createUser();
        const session = await ctx.login(user);
        const token = await ctx.createApiToken(session);
        return { ...user, session, token };
      })();
      return defaultUser;
    },
  };
  return ctx;
}
