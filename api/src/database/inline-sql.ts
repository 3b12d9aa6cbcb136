import { escapeLiteral } from 'pg';

/**
 * `text` with its `$n` placeholders replaced by SQL literals of `params`, for statements sent in
 * one simple-protocol message together with the settings they run under (`SET LOCAL …; SELECT …`).
 *
 * Each value becomes a quoted literal of unknown type — what PostgreSQL also sees for a bound
 * parameter sent as text — so it takes its type from where it stands, as `$n` would: strings and
 * numbers through `escapeLiteral`, arrays in PostgreSQL's array syntax, dates as ISO 8601.
 * Only `text` (SQL written by us) is scanned for placeholders; values are never re-scanned.
 */
export function inlineParams(text: string, params: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (whole, digits: string) => {
    const i = Number(digits) - 1;
    if (i < 0 || i >= params.length) throw new Error(`no value for ${whole}`);
    return literal(params[i]);
  });
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return escapeLiteral(arrayText(value));
  return escapeLiteral(scalarText(value));
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') {
    // a NUL would end the message's text early (requests carrying one are refused at the door)
    if (value.includes('\u0000')) throw new Error('cannot inline a string with a NUL character');
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error('invalid date');
    return value.toISOString();
  }
  throw new Error(`cannot inline a ${typeof value}`);
}

/** `{"a","b\"c",NULL}`: every element quoted, quotes and backslashes escaped. */
function arrayText(values: readonly unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayText(v);
    return `"${scalarText(v).replace(/[\\"]/g, '\\$&')}"`;
  });
  return `{${items.join(',')}}`;
}
