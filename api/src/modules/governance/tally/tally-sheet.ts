import type { CountResult } from './approval';
import type { MotionResult } from './motion';
import type { SchulzeResult } from './schulze';
import { TIE_BREAK_RULE } from './tie-break';

export { ballotVoteString } from './debian-tally';

export interface TallySheetMeta {
  title: string;
  /** What the vote decided, e.g. the proposal's id or slug. */
  reference: string;
  opened: Date;
  closed: Date;
  /** Eligible voters, from the snapshot taken when voting opened. */
  electorate: number;
  /** The rules in force, one human line each, e.g. "Quorum: 50% of 9 eligible voters (5 ballots)". */
  rules: string[];
  /** Display names by option id; ids are printed where a name is missing. */
  optionLabels?: Record<string, string>;
}

export interface TallySheetBallot {
  /** The voter's receipt (an HMAC only they can recompute), or their name on a roll-call vote. */
  receipt: string;
  /** The vote as cast: `ballotVoteString` for ranked ballots, Y/N/A for a motion, the option id otherwise. */
  vote: string;
}

/**
 * A plain-text, monospace tally sheet in the spirit of Debian's (the `V:` ballot lines, the
 * "Option n" legend, the beat matrix, the list of defeats), so a result can be published, diffed
 * and checked by hand without our software. Everything in it comes from the arguments; it is
 * deterministic, so the same result always renders to the same bytes and can be hashed.
 */
export function renderTallySheet(
  meta: TallySheetMeta,
  result: MotionResult | SchulzeResult | CountResult,
  ballotLines?: TallySheetBallot[],
): string {
  const out: string[] = [];
  const title = `Tally sheet: ${meta.title}`;
  out.push(title, '='.repeat(title.length), '');
  out.push(`Reference:  ${meta.reference}`);
  out.push(`Opened:     ${utc(meta.opened)}`);
  out.push(`Closed:     ${utc(meta.closed)}`);
  out.push(`Electorate: ${meta.electorate} eligible voter${meta.electorate === 1 ? '' : 's'}`);
  const cast = 'outcome' in result ? result.turnout : result.ballots;
  out.push(`Ballots:    ${cast} cast${meta.electorate > 0 ? ` (${percent(cast, meta.electorate)} turnout)` : ''}`);
  out.push(`Method:     ${methodLine(result)}`);
  if (meta.rules.length > 0) {
    out.push('Rules:');
    for (const rule of meta.rules) out.push(`  ${rule}`);
  }
  out.push('');

  if ('outcome' in result) renderMotion(out, result);
  else if (result.method === 'schulze') renderSchulze(out, result, meta.optionLabels ?? {});
  else renderCount(out, result, meta.optionLabels ?? {});

  if (ballotLines && ballotLines.length > 0) {
    section(out, 'Ballots');
    // Ranked votes are one column per option, so they get the legend that names the columns.
    if (!('outcome' in result) && result.method === 'schulze')
      out.push(...legend(result.options, meta.optionLabels ?? {}));
    const width = Math.max(...ballotLines.map((b) => b.vote.length));
    for (const b of ballotLines) out.push(`V: ${b.vote.padEnd(width)}  ${b.receipt}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function methodLine(result: MotionResult | SchulzeResult | CountResult): string {
  if ('outcome' in result) return 'motion (yes / no / abstain)';
  if (result.method === 'schulze') return 'Schulze (Condorcet, winning votes)';
  return result.method === 'approval' ? 'approval voting' : 'plurality';
}

const THRESHOLD_TEXT: Record<MotionResult['threshold'], string> = {
  simple: 'simple majority (yes > no)',
  two_thirds: 'two-thirds majority (yes >= 2/3 of yes + no)',
  three_to_one: '3:1 majority (yes >= 3 x no)',
};

function renderMotion(out: string[], r: MotionResult): void {
  section(out, 'Count');
  out.push(`Yes:        ${r.yes}`);
  out.push(`No:         ${r.no}`);
  out.push(`Abstain:    ${r.abstain}`);
  // Results stored before countedForQuorum existed still render, without the count.
  const counted = r.countedForQuorum === undefined ? '' : `${r.countedForQuorum} counted, `;
  out.push(`Quorum:     ${counted}${r.quorumNeeded} needed: ${r.quorumMet ? 'met' : 'not met'}`);
  out.push(`Threshold:  ${THRESHOLD_TEXT[r.threshold]}`);
  out.push('');
  out.push(`Outcome:    ${r.outcome === 'no_quorum' ? 'NO QUORUM' : r.outcome.toUpperCase()}`);
  out.push('');
}

function renderSchulze(out: string[], r: SchulzeResult, labels: Record<string, string>): void {
  const n = r.options.length;
  section(out, 'Options');
  out.push(...legend(r.options, labels), '');

  section(out, 'Pairwise preferences');
  out.push('Row over column: how many ballots rank the row option above the column option.', '');
  out.push(...matrix(r.pairwise), '');

  section(out, 'Strongest paths');
  out.push('Strength of the strongest path from the row option to the column option (0 = no path).', '');
  out.push(...matrix(r.strongest), '');

  section(out, 'Defeats');
  const defeats: { x: number; y: number; for: number; against: number }[] = [];
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      if (r.pairwise[x][y] > r.pairwise[y][x]) defeats.push({ x, y, for: r.pairwise[x][y], against: r.pairwise[y][x] });
    }
  }
  defeats.sort((a, b) => b.for - a.for || a.against - b.against || a.x - b.x || a.y - b.y);
  if (defeats.length === 0) out.push('No option defeats another.');
  for (const d of defeats) out.push(`Option ${d.x + 1} defeats Option ${d.y + 1}: ${d.for} to ${d.against}`);
  out.push('');

  renderOutcome(out, r, labels, r.tiers);
}

function renderCount(out: string[], r: CountResult, labels: Record<string, string>): void {
  section(out, r.method === 'approval' ? 'Approvals' : 'Votes');
  const width = Math.max(...r.options.map((id) => name(id, labels).length));
  const countWidth = Math.max(...r.order.map((id) => String(r.counts[id]).length));
  for (const id of r.order) out.push(`${name(id, labels).padEnd(width)}  ${String(r.counts[id]).padStart(countWidth)}`);
  out.push('');
  const tiers: string[][] = [];
  let last = -1;
  for (const id of r.order) {
    if (r.counts[id] === last) tiers[tiers.length - 1].push(id);
    else tiers.push([id]);
    last = r.counts[id];
  }
  renderOutcome(out, r, labels, tiers);
}

function renderOutcome(
  out: string[],
  r: SchulzeResult | CountResult,
  labels: Record<string, string>,
  tiers: readonly (readonly string[])[],
): void {
  section(out, 'Outcome');
  out.push(`Ranking:    ${tiers.map((tier) => tier.map((id) => name(id, labels)).join(' = ')).join(' > ')}`);
  out.push(`Order:      ${r.order.map((id) => name(id, labels)).join(' > ')}`);
  const keys = Object.entries(r.tieBreakKeys);
  if (keys.length > 0) {
    out.push(...wrap(`Tie-break:  ${TIE_BREAK_RULE}`, 12));
    // Results stored before the seed was part of them still render; the keys alone stay checkable.
    if (r.seed !== undefined) out.push(`            Seed: ${r.seed}`);
    const width = Math.max(...keys.map(([id]) => id.length));
    for (const [id, key] of keys) {
      const label = name(id, labels);
      out.push(`            ${id.padEnd(width)}  ${key}${label === id ? '' : `  (${label})`}`);
    }
    out.push(
      `            ${r.tieBroken ? 'The tie-break decided who was elected.' : 'The tie-break did not change who was elected.'}`,
    );
  }
  const winners = r.winners.map((id) => name(id, labels));
  out.push(
    `${(r.winners.length === 1 ? 'Winner:' : 'Winners:').padEnd(12)}${winners.length > 0 ? winners.join(', ') : 'none'}`,
  );
  out.push('');
}

/** Word-wraps a long line to 100 columns, continuation lines indented to line up after the label. */
function wrap(text: string, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length > indent && line.length + 1 + word.length > 100) {
      lines.push(line);
      line = ' '.repeat(indent) + word;
    } else {
      line = line.length === 0 ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

/** Debian's legend: each option's line ends with an arrow; the slashes point at its column in `V:` lines. */
function legend(options: string[], labels: Record<string, string>): string[] {
  const n = options.length;
  const lines = options.map((id, k) => {
    const lead = k === 0 ? '     ' : `   ${'|'.repeat(k - 1)}/  `;
    return `${lead}Option ${k + 1}${'-'.repeat(n - k + 1)}>: ${name(id, labels)}`;
  });
  lines.push(`   ${'|'.repeat(n - 1)}/`);
  return lines;
}

function matrix(m: number[][]): string[] {
  const n = m.length;
  const label = `Option ${n}`.length;
  const cell = Math.max(5, ...m.flat().map((v) => String(v).length + 2), String(n).length + 2);
  const lines = [
    `${' '.repeat(label)}${Array.from({ length: n }, (_, j) => String(j + 1).padStart(cell)).join('')}`,
    `${' '.repeat(label)}${Array.from({ length: n }, () => '='.repeat(cell - 2).padStart(cell)).join('')}`,
  ];
  m.forEach((row, i) => {
    const cells = row.map((v, j) => (i === j ? ''.padStart(cell) : String(v).padStart(cell))).join('');
    lines.push(`${`Option ${i + 1}`.padEnd(label)}${cells}`.trimEnd());
  });
  return lines;
}

function section(out: string[], heading: string): void {
  out.push(heading, '-'.repeat(heading.length));
}

function name(id: string, labels: Record<string, string>): string {
  return Object.prototype.hasOwnProperty.call(labels, id) ? labels[id] : id;
}

function utc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)}%`;
}
