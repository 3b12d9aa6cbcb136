import { escapeXml as esc } from '../../common/xml';
import type { PostSummaryView, ReleaseSummaryView } from './dto/content.dto';

interface Entry {
  url: string;
  title: string;
  updated: string;
  summary: string;
  category?: string;
}

function atom(publicUrl: string, selfPath: string, title: string, htmlPath: string, entries: Entry[]): string {
  const self = `${publicUrl}${selfPath}`;
  const body = entries
    .map(
      (e) => `  <entry>
    <id>${esc(e.url)}</id>
    <title>${esc(e.title)}</title>
    <link rel="alternate" type="text/html" href="${esc(e.url)}"/>
    <updated>${e.updated}</updated>${e.category ? `\n    <category term="${esc(e.category)}"/>` : ''}
    <summary>${esc(e.summary)}</summary>
  </entry>`,
    )
    .join('\n');
  const updated =
    entries
      .map((e) => e.updated)
      .sort()
      .at(-1) ?? new Date().toISOString();
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${esc(self)}</id>
  <title>${esc(title)}</title>
  <link rel="self" type="application/atom+xml" href="${esc(self)}"/>
  <link rel="alternate" type="text/html" href="${esc(`${publicUrl}${htmlPath}`)}"/>
  <updated>${updated}</updated>
  <author><name>OpenCloudOS Hub</name></author>
${body}
</feed>
`;
}

const both = (en: string, zh: string): string => (en && zh && en !== zh ? `${en} / ${zh}` : en || zh);

/** Atom 1.0 of published news posts (drafts never reach this function's input). */
export function newsAtom(publicUrl: string, posts: PostSummaryView[]): string {
  return atom(
    publicUrl,
    '/api/v1/portal/news.atom',
    'OpenCloudOS news',
    '/news',
    posts.map((p) => ({
      url: `${publicUrl}/news/${p.slug}`,
      title: both(p.titleEn, p.titleZh),
      updated: p.publishedAt ?? p.updatedAt,
      summary: both(p.summaryEn, p.summaryZh),
    })),
  );
}

/** Atom 1.0 of published releases, newest release date first. */
export function releasesAtom(publicUrl: string, releases: ReleaseSummaryView[]): string {
  const dated = releases
    .filter((r) => r.releasedOn)
    .sort((a, b) => (b.releasedOn ?? '').localeCompare(a.releasedOn ?? ''));
  return atom(
    publicUrl,
    '/api/v1/portal/releases.atom',
    'OpenCloudOS releases',
    '/releases',
    dated.map((r) => ({
      url: `${publicUrl}/releases/${r.slug}`,
      title: r.name,
      updated: `${r.releasedOn}T00:00:00Z`,
      summary: both(r.taglineEn, r.taglineZh) + (r.kernel ? ` (kernel ${r.kernel})` : ''),
      category: r.family,
    })),
  );
}
