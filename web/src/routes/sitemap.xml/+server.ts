import type { RequestHandler } from './$types';
import { apiFor, attempt } from '$lib/server/api';

/** Pages without data of their own that are worth a crawler's visit. */
const STATIC_PATHS = [
  '/',
  '/download',
  '/releases',
  '/news',
  '/mirrors',
  '/sigs',
  '/packages',
  '/bugs',
  '/governance',
  '/programme',
];

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/**
 * sitemap.xml: the public pages, each with its Chinese and English address as xhtml:link
 * alternates (the language is chosen by `?lang=`, else the visitor's cookie or browser).
 */
export const GET: RequestHandler = async (event) => {
  const origin = event.url.origin;
  const res = await attempt(apiFor(event).GET('/api/v1/portal/sitemap'));
  const entries = [
    ...STATIC_PATHS.map((path) => ({ path, lastmod: null as string | null })),
    ...(res.ok ? res.data.entries : []),
  ];
  const url = (path: string, lang?: string) =>
    esc(`${origin}${path.split('/').map(encodeURIComponent).join('/')}${lang ? `?lang=${lang}` : ''}`);
  const body = entries
    .map(
      (e) => `  <url>
    <loc>${url(e.path)}</loc>${e.lastmod ? `\n    <lastmod>${e.lastmod.slice(0, 10)}</lastmod>` : ''}
    <xhtml:link rel="alternate" hreflang="zh-CN" href="${url(e.path, 'zh-CN')}"/>
    <xhtml:link rel="alternate" hreflang="en" href="${url(e.path, 'en')}"/>
    <xhtml:link rel="alternate" hreflang="x-default" href="${url(e.path)}"/>
  </url>`,
    )
    .join('\n');
  return new Response(
    `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${body}
</urlset>
`,
    {
      headers: {
        'content-type': 'application/xml; charset=utf-8',
        // a failed API call must not be cached as an empty sitemap
        'cache-control': res.ok ? 'public, max-age=3600' : 'no-store',
      },
    },
  );
};
