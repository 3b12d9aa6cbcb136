/**
 * The catalogue path a /download URL names, or null when it cannot name one: encoded slashes or
 * backslashes, NUL, `.`/`..` or empty segments, bad escapes, anything outside the characters
 * mirror paths use. Never a path that could leave the mirror root.
 */
export function downloadPathOf(rawUrl: string): string | null {
  const q = rawUrl.indexOf('?');
  const raw = q < 0 ? rawUrl : rawUrl.slice(0, q);
  if (!raw.startsWith('/download/')) return null;
  const encoded = raw.slice('/download/'.length);
  if (!encoded || encoded.length > 600 || /%(2f|5c|00)|\\/i.test(encoded)) return null;
  let path = encoded;
  if (encoded.includes('%')) {
    try {
      path = decodeURIComponent(encoded);
    } catch {
      return null;
    }
  }
  if (!/^[A-Za-z0-9._+~-]+(\/[A-Za-z0-9._+~-]+)*$/.test(path)) return null;
  if (path.split('/').some((s) => s === '.' || s === '..')) return null;
  return path;
}

/** Path segments escaped for a URL (the catalogue's characters need none today; future-proof). */
export const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');
