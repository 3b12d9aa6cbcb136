import type { BugListItemView } from './dto/bugs.dto';
import { escapeXml as esc } from '../../common/xml';

/** The site's public origin, for absolute links in feeds. */
export class BugFeedConfig {
  constructor(readonly url: string) {}
}

/** An Atom 1.0 document for a bug search: one entry per bug, newest change first. */
export function bugsAtom(publicUrl: string, query: string, items: BugListItemView[]): string {
  const self = `${publicUrl}/api/v1/bugs/feed.atom${query ? `?q=${encodeURIComponent(query)}` : ''}`;
  const html = `${publicUrl}/bugs${query ? `?q=${encodeURIComponent(query)}` : ''}`;
  const updated = items.reduce((max, b) => (new Date(b.updatedAt) > max ? new Date(b.updatedAt) : max), new Date(0));
  const entries = items
    .map(
      (b) => `  <entry>
    <id>${esc(`${publicUrl}/bugs/${b.id}`)}</id>
    <title>${esc(`[Bug ${b.id}] ${b.summary}`)}</title>
    <link rel="alternate" type="text/html" href="${esc(`${publicUrl}/bugs/${b.id}`)}"/>
    <updated>${new Date(b.updatedAt).toISOString()}</updated>
    <published>${new Date(b.createdAt).toISOString()}</published>
    <author><name>${esc(b.reporter)}</name></author>
    <category term="${esc(b.status)}"/>
    <summary>${esc(`${b.status}${b.resolution ? ` ${b.resolution}` : ''} · ${b.product}/${b.component} · ${b.severity} ${b.priority}${b.assignee ? ` · ${b.assignee}` : ''}`)}</summary>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${esc(self)}</id>
  <title>${esc(`OpenCloudOS bugs${query ? `: ${query}` : ''}`)}</title>
  <link rel="self" type="application/atom+xml" href="${esc(self)}"/>
  <link rel="alternate" type="text/html" href="${esc(html)}"/>
  <updated>${(items.length ? updated : new Date()).toISOString()}</updated>
  <generator>OpenCloudOS Hub</generator>
${entries}
</feed>
`;
}
