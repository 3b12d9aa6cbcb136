/**
 * Quick search: the one line a user types into the bug tracker's search box, turned into a
 * structured query. Pure — no I/O — so the SQL layer and the help text can both rely on it.
 *
 * Rules (the search help shows these to users):
 *
 * Words and phrases
 * - Words are separated by spaces (the full-width space U+3000 too). Full-width letters, digits
 *   and punctuation typed with a Chinese IME read as their ASCII forms (NFKC), so `status：NEW`
 *   and `Ｐ１` work.
 * - "double quotes" or “Chinese quotes” make a phrase. An unclosed quote runs to the end of the
 *   line. Anything quoted is always searched as text, never read as a filter or shorthand:
 *   `"FIXED"` finds the word FIXED, `"status:NEW"` finds that string.
 * - A leading `-` excludes: `-"foo bar"`, `-component:kernel`, `-wontfix`. A lone `-` is ignored.
 * - Text is trimmed of surrounding punctuation (`,.;:!?，。；：！？、()（）[]【】` and quotes) and
 *   split at `,` `;` `、` `。` inside a word, so `内核，崩溃` searches 内核 and 崩溃. Text with no
 *   letter or digit at all is dropped. Text is matched against summary, description and comments.
 *
 * Filters — `field:value[,value…]`; the values of one filter are alternatives (OR), separate
 * filters must all hold (AND), even on the same field. `-field:a,b` matches bugs with neither.
 * - Field names ignore case (`Status:` works) and accept the aliases in {@link QS_FIELD_ALIASES}.
 * - Values may be quoted: `component:"kernel tools"`, `comp:a,"b,c"`.
 * - If the part before `:` is not a field name the whole word is text, so `error:` and
 *   `http://example.com` search text. A field with no value (`status:`) is an error.
 * - status: UNCONFIRMED, CONFIRMED, IN_PROGRESS, RESOLVED, VERIFIED, any case, `-` for `_`.
 *   Bugzilla's NEW and REOPENED mean CONFIRMED, ASSIGNED means IN_PROGRESS. OPEN = the three open
 *   statuses, CLOSED = RESOLVED and VERIFIED, ALL = every status. Excluding every status
 *   (`-status:ALL`, `-ALL`) is an error.
 * - resolution: FIXED, INVALID, WONTFIX, DUPLICATE (or DUP), WORKSFORME, any case.
 * - severity: blocker, critical, major, normal, minor, trivial, enhancement, any case.
 * - priority: P1…P5, `1`…`5`, ranges `P1-2` / `P2-P4` (either order), any case.
 * - id: bug numbers, `#` optional. is: open, closed, private, security, affected, unassigned.
 * - assignee, reporter, qa, cc, commenter: usernames, a leading `@` is dropped. cve: upper-cased.
 * - An unknown status, resolution, severity, priority, `is:` value or bug number is reported in
 *   `errors` and that whole word is ignored; the rest of the search still runs.
 *
 * Shorthands (only for unquoted words)
 * - `@alice` = assignee:alice (`@alice,bob` = either).
 * - `#123`, or a bare number from 1 to 2147483647, = that bug. All bug numbers, from `#`, bare
 *   numbers and `id:`, join ONE id filter (any of them), and all excluded ones join one excluded
 *   id filter — ANDing different ids could never match. `#0` is an error; a bare `0` or a number
 *   too big to be a bug (a timestamp, say) stays text.
 * - `P1`…`P5`, `P1-2`, `P2-P4`, `P1,P3`, any case, = a priority filter. `P9` stays text.
 * - Status and resolution names (with NEW/ASSIGNED/REOPENED/DUP and OPEN/CLOSED/ALL, also as a
 *   comma list of one kind such as `FIXED,WONTFIX`) are a filter only when written in UPPER CASE
 *   or marked with `-` (exclude) or `+` (require): `FIXED`, `OPEN`, `-wontfix`, `+dup`. Plain
 *   `fixed`, `open` or `all` stay text, because they are everyday English words.
 * - Severities have no shorthand — `major` or `critical` in a sentence are just words; use
 *   `sev:major`.
 *
 * Which bugs by default
 * - `hasStatusFilter` is false only when nothing in the search says which statuses are wanted; the
 *   caller then shows open bugs only. It is true when there is a status filter (included or
 *   excluded), an `is:open`/`is:closed` filter, a required resolution (resolved bugs are never
 *   open), or a required bug number or alias (naming a bug should find it even when closed). An
 *   excluded resolution says nothing about status.
 *
 * Limits: at most 30 text terms and 50 values per filter (the rest are dropped and reported once);
 * input longer than 1000 characters is refused with a single error and an empty result.
 * The parser never throws.
 */

export const BUG_STATUSES = ['UNCONFIRMED', 'CONFIRMED', 'IN_PROGRESS', 'RESOLVED', 'VERIFIED'] as const;
export const OPEN_STATUSES = ['UNCONFIRMED', 'CONFIRMED', 'IN_PROGRESS'] as const;
export const CLOSED_STATUSES = ['RESOLVED', 'VERIFIED'] as const;
export const BUG_RESOLUTIONS = ['FIXED', 'INVALID', 'WONTFIX', 'DUPLICATE', 'WORKSFORME'] as const;
export const BUG_SEVERITIES = ['blocker', 'critical', 'major', 'normal', 'minor', 'trivial', 'enhancement'] as const;
export const BUG_PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
export const QS_IS_VALUES = ['open', 'closed', 'private', 'security', 'affected', 'unassigned'] as const;

export type BugStatus = (typeof BUG_STATUSES)[number];
export type BugResolution = (typeof BUG_RESOLUTIONS)[number];
export type BugSeverity = (typeof BUG_SEVERITIES)[number];
export type BugPriority = (typeof BUG_PRIORITIES)[number];

export type QsField =
  | 'id'
  | 'alias'
  | 'status'
  | 'resolution'
  | 'product'
  | 'component'
  | 'version'
  | 'severity'
  | 'priority'
  | 'hardware'
  | 'assignee'
  | 'reporter'
  | 'qa'
  | 'cc'
  | 'commenter'
  | 'keywords'
  | 'sig'
  | 'cve'
  | 'whiteboard'
  | 'url'
  | 'target'
  | 'flag'
  | 'is'
  | 'summary';

export interface TextTerm {
  text: string;
  phrase: boolean;
  negated: boolean;
}
export interface FieldFilter {
  field: QsField;
  values: string[];
  negated: boolean;
}

/** Stable codes so the web can show a translated message; `message` is the English fallback. */
export type QsErrorCode =
  'input_too_long' | 'empty_value' | 'invalid_value' | 'excludes_everything' | 'too_many_values' | 'too_many_terms';

export interface QsError {
  /** The word as typed (after NFKC), so the UI can point at it. */
  token: string;
  message: string;
  code: QsErrorCode;
}

export interface QuickSearch {
  /** Free-text words/phrases (match summary, description, comments). */
  text: TextTerm[];
  /** AND of filters; values inside one filter are OR-ed (negated: none of them). */
  filters: FieldFilter[];
  /** False → the caller applies "open bugs only" (see the rules above for what sets it). */
  hasStatusFilter: boolean;
  /** Invalid values, e.g. `priority:P9`, `status:BOGUS`; the offending word was ignored. */
  errors: QsError[];
}

export const QS_LIMITS = { maxInputLength: 1000, maxTextTerms: 30, maxValuesPerFilter: 50 } as const;

/** Field names as users may type them, first one canonical; the help text lists these. */
export const QS_FIELD_ALIASES: Readonly<Record<QsField, readonly string[]>> = {
  id: ['id', 'bug'],
  alias: ['alias'],
  status: ['status', 'st'],
  resolution: ['resolution', 'res'],
  product: ['product', 'prod', 'pr'],
  component: ['component', 'comp', 'package', 'pkg'],
  version: ['version', 'ver'],
  severity: ['severity', 'sev'],
  priority: ['priority', 'pri'],
  hardware: ['hardware', 'hw', 'platform'],
  assignee: ['assignee', 'assigned_to', 'owner'],
  reporter: ['reporter', 'rep'],
  qa: ['qa', 'qa_contact'],
  cc: ['cc'],
  commenter: ['commenter'],
  keywords: ['keywords', 'kw'],
  sig: ['sig'],
  cve: ['cve'],
  whiteboard: ['whiteboard', 'wb'],
  url: ['url'],
  target: ['target', 'target_release'],
  flag: ['flag'],
  is: ['is'],
  summary: ['summary', 'title'],
};

const FIELD_BY_NAME: ReadonlyMap<string, QsField> = new Map(
  (Object.keys(QS_FIELD_ALIASES) as QsField[]).flatMap((field) =>
    QS_FIELD_ALIASES[field].map((name): [string, QsField] => [name, field]),
  ),
);

const USER_FIELDS: ReadonlySet<QsField> = new Set<QsField>(['assignee', 'reporter', 'qa', 'cc', 'commenter']);

const STATUS_WORDS: ReadonlyMap<string, readonly BugStatus[]> = new Map<string, readonly BugStatus[]>([
  ...BUG_STATUSES.map((s): [string, readonly BugStatus[]] => [s, [s]]),
  // Bugzilla's classic workflow names, so habits and old links keep working
  ['NEW', ['CONFIRMED']],
  ['ASSIGNED', ['IN_PROGRESS']],
  ['REOPENED', ['CONFIRMED']],
  ['OPEN', OPEN_STATUSES],
  ['CLOSED', CLOSED_STATUSES],
  ['ALL', BUG_STATUSES],
]);

const RESOLUTION_WORDS: ReadonlyMap<string, BugResolution> = new Map<string, BugResolution>([
  ...BUG_RESOLUTIONS.map((r): [string, BugResolution] => [r, r]),
  ['DUP', 'DUPLICATE'],
]);

const SEVERITY_SET: ReadonlySet<string> = new Set(BUG_SEVERITIES);
const IS_SET: ReadonlySet<string> = new Set(QS_IS_VALUES);

/** PostgreSQL `integer`: a larger number cannot be a bug id, so it must not reach the query. */
const MAX_BUG_ID = 2147483647;

const OPEN_QUOTES = new Set(['"', '“']);
// Any quote closes, because IMEs and copy-paste often give mismatched pairs.
const CLOSE_QUOTES = new Set(['"', '”', '“']);

const EDGE_PUNCT = String.raw`,.;:!?，。；：！？、()（）\[\]【】"'“”‘’「」『』《》<>{}`;
const EDGE_PUNCT_RE = new RegExp(`^[\\s${EDGE_PUNCT}]+|[\\s${EDGE_PUNCT}]+$`, 'gu');
const TEXT_SPLIT_RE = /[,;、。]+/u;
const HAS_WORD_CHAR_RE = /[\p{L}\p{N}]/u;
const PRIORITY_PART_RE = /^p([1-5])(?:-p?([1-5]))?$/i;
const PRIORITY_FIELD_PART_RE = /^p?([1-5])(?:-p?([1-5]))?$/i;

interface Segment {
  text: string;
  quoted: boolean;
}
interface Token {
  raw: string;
  segments: Segment[];
}

type Normalised = { ok: true; values: string[] } | { ok: false; message: string };

export function parseQuickSearch(input: string): QuickSearch {
  const result: QuickSearch = { text: [], filters: [], hasStatusFilter: false, errors: [] };
  if (typeof input !== 'string') return result; // callers are typed, but query strings arrive from HTTP
  if (input.length > QS_LIMITS.maxInputLength) {
    result.errors.push({
      token: input.slice(0, 32),
      code: 'input_too_long',
      message: `search is longer than ${QS_LIMITS.maxInputLength} characters`,
    });
    return result;
  }

  const state = new ParseState(result);
  for (const token of tokenize(input.normalize('NFKC'))) state.consume(token);
  result.hasStatusFilter = result.filters.some(impliesStatus);
  return result;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let segments: Segment[] = [];
  let raw = '';
  let buf = '';
  let inQuote = false;
  const endToken = (): void => {
    if (buf !== '') segments.push({ text: buf, quoted: false });
    if (segments.length > 0) tokens.push({ raw, segments });
    segments = [];
    raw = '';
    buf = '';
  };
  for (const ch of input) {
    if (inQuote) {
      raw += ch;
      if (CLOSE_QUOTES.has(ch)) {
        segments.push({ text: buf, quoted: true });
        buf = '';
        inQuote = false;
      } else {
        buf += ch;
      }
    } else if (/\s/u.test(ch)) {
      endToken();
    } else if (OPEN_QUOTES.has(ch)) {
      raw += ch;
      if (buf !== '') segments.push({ text: buf, quoted: false });
      buf = '';
      inQuote = true;
    } else {
      raw += ch;
      buf += ch;
    }
  }
  if (inQuote) {
    segments.push({ text: buf, quoted: true });
    buf = '';
  }
  endToken();
  return tokens;
}

class ParseState {
  private readonly idFilters = new Map<boolean, FieldFilter>();
  // ids from many words merge into one filter; one overflow error is enough for it
  private readonly overflowReported = new Set<FieldFilter>();
  private textOverflowReported = false;

  constructor(private readonly result: QuickSearch) {}

  consume(token: Token): void {
    const segments = token.segments.map((s) => ({ ...s }));
    const first = segments[0];
    let negated = false;
    if (!first.quoted && first.text.startsWith('-') && (first.text.length > 1 || segments.length > 1)) {
      negated = true;
      first.text = first.text.slice(1);
      if (first.text === '') segments.shift();
    }
    if (segments.length === 0) return;

    if (this.tryField(token, segments, negated)) return;
    const head = segments[0];
    if (segments.length === 1 && !head.quoted && this.tryShorthand(token, head.text, negated)) return;
    this.addText(token, segments, negated);
  }

  private tryField(token: Token, segments: Segment[], negated: boolean): boolean {
    const head = segments[0];
    if (head.quoted) return false;
    const colon = head.text.indexOf(':');
    if (colon <= 0) return false;
    const field = FIELD_BY_NAME.get(head.text.slice(0, colon).toLowerCase().replace(/-/g, '_'));
    if (field === undefined) return false;

    const raw = splitValues([{ text: head.text.slice(colon + 1), quoted: false }, ...segments.slice(1)]).map((v) =>
      USER_FIELDS.has(field) ? v.replace(/^@+/, '').trim() : v,
    );
    const values = raw.filter((v) => v !== '');
    if (values.length === 0) {
      this.error(token, 'empty_value', `${field}: needs a value`);
      return true;
    }
    this.addNormalised(token, field, values, negated);
    return true;
  }

  private tryShorthand(token: Token, typed: string, negated: boolean): boolean {
    if (typed.startsWith('@')) {
      const users = typed
        .slice(1)
        .split(',')
        .map((u) => trimEdges(u).replace(/^@+/, ''))
        .filter((u) => u !== '');
      // `@` alone, or `@,`, names nobody; treat it like stray punctuation
      if (users.length > 0) this.addFilter(token, 'assignee', users, negated);
      return true;
    }
    // sentence punctuation around a shorthand (`(P1)`, `FIXED,`) should not hide it
    const word = trimEdges(typed);
    if (/^#\d+$/.test(word)) {
      this.addNormalised(token, 'id', [word.slice(1)], negated);
      return true;
    }
    if (/^\d+$/.test(word) && parseBugId(word) !== undefined) {
      this.addNormalised(token, 'id', [word], negated);
      return true;
    }
    if (word.split(',').every((p) => PRIORITY_PART_RE.test(p))) {
      this.addNormalised(token, 'priority', word.split(','), negated);
      return true;
    }
    const plus = !negated && word.startsWith('+');
    const bare = plus ? word.slice(1) : word;
    const upperCase = bare === bare.toUpperCase() && bare !== bare.toLowerCase();
    if (negated || plus || upperCase) {
      const parts = bare.split(',');
      if (parts.every((p) => STATUS_WORDS.has(stateKey(p)))) {
        this.addNormalised(token, 'status', parts, negated);
        return true;
      }
      if (parts.every((p) => RESOLUTION_WORDS.has(stateKey(p)))) {
        this.addNormalised(token, 'resolution', parts, negated);
        return true;
      }
    }
    return false;
  }

  private addText(token: Token, segments: Segment[], negated: boolean): void {
    const phrase = segments.some((s) => s.quoted);
    const joined = segments.map((s) => s.text).join('');
    // A phrase is one term; an unquoted word is split at list punctuation (内核，崩溃 → 2 terms)
    const pieces = phrase ? [joined.replace(/\s+/gu, ' ')] : joined.split(TEXT_SPLIT_RE);
    for (const piece of pieces) {
      const text = trimEdges(piece);
      if (!HAS_WORD_CHAR_RE.test(text)) continue;
      if (this.result.text.length >= QS_LIMITS.maxTextTerms) {
        if (!this.textOverflowReported) {
          this.textOverflowReported = true;
          this.error(
            token,
            'too_many_terms',
            `more than ${QS_LIMITS.maxTextTerms} words; this one and the rest were ignored`,
          );
        }
        return;
      }
      this.result.text.push({ text, phrase, negated });
    }
  }

  private addNormalised(token: Token, field: QsField, raw: string[], negated: boolean): void {
    const normalised = normaliseValues(field, raw);
    if (!normalised.ok) {
      this.error(token, 'invalid_value', normalised.message);
      return;
    }
    if (field === 'status' && negated && BUG_STATUSES.every((s) => normalised.values.includes(s))) {
      this.error(token, 'excludes_everything', 'excluding every status would match no bug');
      return;
    }
    if (field === 'id') {
      this.addIds(token, normalised.values, negated);
      return;
    }
    this.addFilter(token, field, normalised.values, negated);
  }

  private addIds(token: Token, ids: string[], negated: boolean): void {
    const existing = this.idFilters.get(negated);
    if (existing === undefined) {
      const filter = this.addFilter(token, 'id', ids, negated);
      this.idFilters.set(negated, filter);
      return;
    }
    existing.values = this.capValues(token, existing, unique([...existing.values, ...ids]));
  }

  private addFilter(token: Token, field: QsField, values: string[], negated: boolean): FieldFilter {
    const filter: FieldFilter = { field, values: [], negated };
    filter.values = this.capValues(token, filter, unique(values));
    this.result.filters.push(filter);
    return filter;
  }

  private capValues(token: Token, filter: FieldFilter, values: string[]): string[] {
    if (values.length <= QS_LIMITS.maxValuesPerFilter) return values;
    if (this.overflowReported.has(filter)) return values.slice(0, QS_LIMITS.maxValuesPerFilter);
    this.overflowReported.add(filter);
    this.error(
      token,
      'too_many_values',
      `more than ${QS_LIMITS.maxValuesPerFilter} values in one filter; the rest were ignored`,
    );
    return values.slice(0, QS_LIMITS.maxValuesPerFilter);
  }

  private error(token: Token, code: QsErrorCode, message: string): void {
    this.result.errors.push({ token: token.raw, code, message });
  }
}

/** Splits a field's value on unquoted commas; quoted parts are kept whole. */
function splitValues(segments: Segment[]): string[] {
  const values: string[] = [];
  let current = '';
  for (const seg of segments) {
    if (seg.quoted) {
      current += seg.text;
      continue;
    }
    const parts = seg.text.split(',');
    current += parts[0];
    for (const part of parts.slice(1)) {
      values.push(current);
      current = part;
    }
  }
  values.push(current);
  return values.map((v) => v.trim());
}

function normaliseValues(field: QsField, raw: string[]): Normalised {
  const values: string[] = [];
  for (const value of raw) {
    const normal = normaliseValue(field, value);
    if (normal === undefined) return { ok: false, message: invalidMessage(field, value) };
    values.push(...normal);
  }
  return { ok: true, values: unique(values) };
}

function normaliseValue(field: QsField, value: string): readonly string[] | undefined {
  switch (field) {
    case 'status':
      return STATUS_WORDS.get(stateKey(value));
    case 'resolution': {
      const resolution = RESOLUTION_WORDS.get(stateKey(value));
      return resolution === undefined ? undefined : [resolution];
    }
    case 'severity': {
      const severity = value.toLowerCase();
      return SEVERITY_SET.has(severity) ? [severity] : undefined;
    }
    case 'priority':
      return parsePriority(value);
    case 'is': {
      const is = value.toLowerCase();
      return IS_SET.has(is) ? [is] : undefined;
    }
    case 'id': {
      const id = parseBugId(value.replace(/^#/, ''));
      return id === undefined ? undefined : [id];
    }
    case 'cve':
      // CVE ids are upper-case by convention; matching them case-sensitively would surprise
      return [value.toUpperCase()];
    default:
      return [value];
  }
}

function invalidMessage(field: QsField, value: string): string {
  const hints: Partial<Record<QsField, string>> = {
    status: [...BUG_STATUSES, 'OPEN', 'CLOSED', 'ALL'].join(', '),
    resolution: BUG_RESOLUTIONS.join(', '),
    severity: BUG_SEVERITIES.join(', '),
    priority: `${BUG_PRIORITIES.join(', ')} or a range such as P1-2`,
    is: QS_IS_VALUES.join(', '),
    id: `a bug number from 1 to ${MAX_BUG_ID}`,
  };
  const hint = hints[field];
  return hint === undefined ? `invalid ${field} "${value}"` : `unknown ${field} "${value}"; use ${hint}`;
}

function parsePriority(value: string): BugPriority[] | undefined {
  const m = PRIORITY_FIELD_PART_RE.exec(value);
  if (m === null) return undefined;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  const out: BugPriority[] = [];
  for (let p = Math.min(a, b); p <= Math.max(a, b); p++) out.push(BUG_PRIORITIES[p - 1]);
  return out;
}

function parseBugId(value: string): string | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= MAX_BUG_ID ? String(n) : undefined;
}

/** Lookup key for status/resolution words: case-free, and `in-progress` means `IN_PROGRESS`. */
function stateKey(word: string): string {
  return word.toUpperCase().replace(/-/g, '_');
}

function trimEdges(text: string): string {
  return text.replace(EDGE_PUNCT_RE, '');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function impliesStatus(filter: FieldFilter): boolean {
  switch (filter.field) {
    case 'status':
      return true;
    case 'is':
      return filter.values.includes('open') || filter.values.includes('closed');
    case 'resolution':
    case 'id':
    case 'alias':
      return !filter.negated;
    default:
      return false;
  }
}
