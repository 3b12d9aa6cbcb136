import type { DataSource } from 'typeorm';
import { BugzillaClient } from './bugzilla-client';
import { type BugzillaImportReport, BugzillaImporter } from './bugzilla-import.service';

export const BUGZILLA_IMPORT_USAGE = `usage: bugs:import-bugzilla <base-url> [--api-key KEY] [--product NAME …] [--dry-run] [--since ISO]
  <base-url>   the Bugzilla site (https://bugzilla.example.org) or its REST root (…/rest)
  --api-key    a Bugzilla API key (or BUGZILLA_API_KEY); without one, private bugs are not seen
  --product    import only this product (repeatable); default: every product the key can read
  --since      only bugs changed at or after this ISO 8601 time
  --dry-run    read everything, write nothing, print what would happen`;

interface ParsedArgs {
  baseUrl: string;
  apiKey?: string;
  products: string[];
  since?: Date;
  dryRun: boolean;
}

export function parseBugzillaImportArgs(argv: string[], env = process.env): ParsedArgs | string {
  const out: ParsedArgs = { baseUrl: '', products: [], dryRun: false, apiKey: env.BUGZILLA_API_KEY || undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string | undefined => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i]);
    const flag = a.split('=')[0];
    if (flag === '--dry-run') out.dryRun = true;
    else if (flag === '--api-key') out.apiKey = value();
    else if (flag === '--product') {
      const p = value();
      if (!p) return '--product needs a name';
      out.products.push(p);
    } else if (flag === '--since') {
      const v = value() ?? '';
      const at = Date.parse(v);
      if (Number.isNaN(at)) return `--since: "${v}" is not an ISO 8601 time`;
      out.since = new Date(at);
    } else if (a.startsWith('--')) return `unknown option ${a}`;
    else if (!out.baseUrl) out.baseUrl = a;
    else return `unexpected argument ${a}`;
  }
  if (!out.baseUrl) return 'missing <base-url>';
  if (!/^https?:\/\//.test(out.baseUrl)) return `<base-url> must be an http(s) URL`;
  return out;
}

export function formatBugzillaImportReport(r: BugzillaImportReport): string {
  const lines: string[] = [];
  for (const p of r.problems) lines.push(`problem  ${p.bug !== undefined ? `bug ${p.bug}: ` : ''}${p.message}`);
  for (const n of r.notes) lines.push(`note     ${n.bug !== undefined ? `bug ${n.bug}: ` : ''}${n.message}`);
  for (const m of r.remapped)
    lines.push(
      `remapped bug ${m.sourceId} is taken here: ${r.dryRun ? 'would get a new id' : `now bug ${m.bugId}`} (alias bz${m.sourceId})`,
    );
  if (r.products.created.length) lines.push(`products created: ${r.products.created.join(', ')}`);
  if (r.components.created.length) lines.push(`components created: ${r.components.created.join(', ')}`);
  const b = r.bugs;
  lines.push(
    `${r.dryRun ? 'dry run (nothing written): ' : ''}bugs: ${b.created} created, ${b.updated} updated, ` +
      `${b.skipped} unchanged, ${b.failed} failed; users: ${r.users.matched} matched, ${r.users.created} created; ` +
      `links resolved later: ${r.linksResolved}`,
  );
  return lines.join('\n');
}

/** `bugs:import-bugzilla`: exit 0 when everything arrived, 1 with problems, 2 on usage errors. */
export async function bugzillaImportCommand(argv: string[], connect: () => Promise<DataSource>): Promise<number> {
  const args = parseBugzillaImportArgs(argv);
  if (typeof args === 'string') {
    console.error(`${args}\n${BUGZILLA_IMPORT_USAGE}`);
    return 2;
  }
  const ds = await connect();
  try {
    const client = new BugzillaClient({ baseUrl: args.baseUrl, apiKey: args.apiKey });
    const report = await new BugzillaImporter(ds, client).run({
      products: args.products,
      since: args.since,
      dryRun: args.dryRun,
    });
    console.log(formatBugzillaImportReport(report));
    return report.problems.length ? 1 : 0;
  } finally {
    await ds.destroy();
  }
}
