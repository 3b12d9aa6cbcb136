import type { RequestHandler } from './$types';

/** Crawlers may read every public page; accounts, forms and the API are of no use to them. */
export const GET: RequestHandler = ({ url }) =>
  new Response(
    `User-agent: *
Allow: /
Disallow: /api/
Disallow: /rest/
Disallow: /admin/
Disallow: /login
Disallow: /logout
Disallow: /register
Disallow: /forgot-password
Disallow: /reset-password
Disallow: /verify-email
Disallow: /profile
Disallow: /notifications
Disallow: /search

Sitemap: ${url.origin}/sitemap.xml
`,
    { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=86400' } },
  );
