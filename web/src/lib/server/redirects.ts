/**
 * Turns a user-supplied "where to go next" into a same-site path, or null. Accepts a relative
 * path ("/profile?tab=1") or an absolute URL on our own origin (a Referer); refuses anything that
 * would leave the site, including protocol-relative ("//evil") and backslash tricks.
 */
export function safeNext(candidate: string | null | undefined, base: URL): string | null {
  if (!candidate) return null;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  if (/[\\\u0000-\u001f]/.test(candidate)) return null;
  let target: URL;
  try {
    target = new URL(candidate, base);
  } catch {
    return null;
  }
  if (target.origin !== base.origin) return null;
  if (candidate.startsWith('//')) return null;
  if (!candidate.startsWith('/') && !candidate.startsWith(base.origin + '/') && candidate !== base.origin) return null;
  // Endpoints that only accept POST would answer a redirect with 405.
  if (target.pathname === '/lang' || target.pathname === '/logout') return null;
  return target.pathname + target.search + target.hash;
}
