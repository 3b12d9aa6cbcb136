import type { DecisionView } from './portal.dto';
import { escapeXml as esc } from '../../common/xml';

const OUTCOME = { passed: 'Passed', failed: 'Failed', no_quorum: 'Failed (no quorum)' } as Record<string, string>;

/** Atom 1.0: one entry per closed vote, newest first, linking to the proposal and its published result. */
export function decisionsAtom(publicUrl: string, items: DecisionView[]): string {
  const self = `${publicUrl}/api/v1/governance/decisions.atom`;
  const entries = items
    .map((d) => {
      const url = `${publicUrl}/governance/proposals/${d.id}`;
      return `  <entry>
    <id>${esc(url)}</id>
    <title>${esc(`[${d.body.toUpperCase()}] ${d.title}: ${OUTCOME[d.outcome] ?? d.outcome}`)}</title>
    <link rel="alternate" type="text/html" href="${esc(url)}"/>
    <link rel="related" type="application/json" href="${esc(`${publicUrl}/api/v1/governance/proposals/${d.id}/result`)}"/>
    <updated>${d.closedAt}</updated>
    <category term="${esc(d.kind)}"/>
    <summary>${esc(`${OUTCOME[d.outcome] ?? d.outcome} · ${d.kind} · ${d.body}`)}</summary>
  </entry>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${esc(self)}</id>
  <title>OpenCloudOS governance decisions</title>
  <link rel="self" type="application/atom+xml" href="${esc(self)}"/>
  <link rel="alternate" type="text/html" href="${esc(`${publicUrl}/governance`)}"/>
  <updated>${items[0]?.closedAt ?? new Date().toISOString()}</updated>
  <author><name>OpenCloudOS Hub</name></author>
${entries}
</feed>
`;
}
