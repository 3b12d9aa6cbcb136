import { env } from '$env/dynamic/private';
import type { Cookies } from '@sveltejs/kit';
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '$lib/api/schema';
import type { FormProblem } from '$lib/forms';

export const SESSION_COOKIE = 'och_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TIMEOUT_MS = 15_000;

export type ApiClient = Client<paths>;

/**
 * Where server-side code reaches the API. In the embedded deployment that is the very process
 * serving this page, so we call it over loopback rather than through the public origin.
 */
export function apiBaseUrl(): string {
  return env.API_INTERNAL_URL || `http://127.0.0.1:${env.PORT || 3000}`;
}

/** True when users reach us over https, so cookies we set must be Secure. */
export function secureCookies(): boolean {
  return (env.PUBLIC_URL ?? '').startsWith('https:');
}

interface CallerContext {
  request: Request;
  locals: App.Locals;
  getClientAddress?: () => string;
}

/**
 * A typed client acting for the current visitor: it forwards their cookies, their language and,
 * on unsafe methods, the CSRF token of their session (the API refuses cookie-authenticated writes
 * without it). Plain global fetch on purpose: SvelteKit's event.fetch would route same-origin
 * /api URLs back into SvelteKit instead of the API.
 */
export function apiFor(event: CallerContext): ApiClient {
  const client = createClient<paths>({
    baseUrl: apiBaseUrl(),
    fetch: (request: Request) => fetch(request, { signal: AbortSignal.timeout(TIMEOUT_MS) }),
  });
  const cookie = event.request.headers.get('cookie');
  const userAgent = event.request.headers.get('user-agent');
  let clientAddress: string | null = null;
  try {
    clientAddress = event.getClientAddress?.() ?? null;
  } catch {
    clientAddress = null; // not available outside a request (prerendering)
  }
  client.use({
    onRequest({ request }) {
      request.headers.set('accept', 'application/json, application/problem+json');
      request.headers.set('accept-language', event.locals.lang);
      if (cookie) request.headers.set('cookie', cookie);
      // the API trusts these from loopback only: rate limits and the audit log see the visitor, not us
      if (clientAddress) request.headers.set('x-forwarded-for', clientAddress);
      if (userAgent) request.headers.set('user-agent', userAgent);
      if (!SAFE_METHODS.has(request.method) && event.locals.csrfToken) {
        request.headers.set('x-csrf-token', event.locals.csrfToken);
      }
      return request;
    },
  });
  return client;
}

/** Reduces whatever an API error body is to what a page shows; status 0 means the API was unreachable. */
export function toProblem(error: unknown, response: Response | undefined): FormProblem {
  const status = response?.status ?? 0;
  const body: Record<string, unknown> = typeof error === 'object' && error !== null ? { ...error } : {};
  const fields: Record<string, string> = {};
  if (Array.isArray(body.errors)) {
    for (const item of body.errors as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const { field, message } = item as { field?: unknown; message?: unknown };
      if (typeof field === 'string' && typeof message === 'string' && !(field in fields)) fields[field] = message;
    }
  }
  return {
    status: typeof body.status === 'number' ? body.status : status,
    code: typeof body.code === 'string' ? body.code : null,
    detail: typeof body.detail === 'string' ? body.detail : typeof error === 'string' && error ? error : null,
    fields,
  };
}

/** A fetch that never reached the API (refused, timed out) as a problem the page can show. */
export function unreachable(): FormProblem {
  return { status: 0, code: null, detail: null, fields: {} };
}

/** Status for fail(): SvelteKit accepts 400–599 only. */
export function failStatus(problem: FormProblem): number {
  return problem.status >= 400 && problem.status <= 599 ? problem.status : 502;
}

interface SessionCookie {
  value: string;
  maxAge: number | undefined;
}

/** Finds och_session in the API's Set-Cookie headers, with its lifetime in seconds. */
export function sessionFromSetCookie(response: Response): SessionCookie | null {
  for (const header of response.headers.getSetCookie()) {
    const [pair = '', ...attributes] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = decodeURIComponent(pair.slice(eq + 1).trim());
    let maxAge: number | undefined;
    for (const attribute of attributes) {
      const [rawName = '', ...rest] = attribute.split('=');
      const name = rawName.trim().toLowerCase();
      const attrValue = rest.join('=').trim();
      if (name === 'max-age' && /^-?\d+$/.test(attrValue)) {
        maxAge = Number(attrValue);
      } else if (name === 'expires' && maxAge === undefined) {
        const expires = Date.parse(attrValue);
        if (!Number.isNaN(expires)) maxAge = Math.max(0, Math.round((expires - Date.now()) / 1000));
      }
    }
    return { value, maxAge };
  }
  return null;
}

/** Copies the API's session cookie onto our response, so the browser holds it for our origin. */
export function setSessionCookie(cookies: Cookies, session: SessionCookie): void {
  cookies.set(SESSION_COOKIE, session.value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(),
    ...(session.maxAge === undefined ? {} : { maxAge: session.maxAge }),
  });
}

export function clearSessionCookie(cookies: Cookies): void {
  cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies() });
}

type Outcome<T> = { ok: true; data: T; response: Response } | { ok: false; problem: FormProblem };

/**
 * Awaits an API call and folds every way it can go wrong (problem response, refused connection,
 * timeout) into one problem value, so actions can answer with fail() and never throw.
 */
export async function attempt<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Outcome<T>> {
  try {
    const result = await call;
    if (result.response.ok) return { ok: true, data: result.data as T, response: result.response };
    return { ok: false, problem: toProblem(result.error, result.response) };
  } catch (error) {
    console.error('API call failed', error);
    return { ok: false, problem: unreachable() };
  }
}

/** A problem found here rather than by the API (bad input we can reject before calling it). */
export function localProblem(status: number, code: string | null, fields: Record<string, string> = {}): FormProblem {
  return { status, code, detail: null, fields };
}

/** A problem code handed to a page in its URL (?error=code) by a browser redirect, e.g. from the Gitee callback. */
export function problemFromQuery(url: URL): FormProblem | null {
  const code = url.searchParams.get('error');
  return code && /^[a-z_]{1,40}$/.test(code) ? localProblem(400, code) : null;
}
