import { BugzillaError } from './bugzilla-errors';

/**
 * Bugzilla's parameters are loose: a query key may be repeated (`id=1&id=2`), JSON bodies carry
 * numbers as strings (`"ids":["5"]`) and booleans as `1`/`"True"`. These helpers accept exactly
 * those spellings and answer anything else with a Bugzilla error, never a 500.
 */
export type Params = Record<string, unknown>;

const MAX_INT = 2147483647;

/** Every value of these keys, in order; only strings (and numbers in JSON) count. */
export function list(p: Params, ...keys: string[]): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const v = p[key];
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) {
      if (typeof item === 'string') out.push(item);
      else if (typeof item === 'number' && Number.isFinite(item)) out.push(String(item));
      else throw new BugzillaError(53, `Invalid value for parameter ${key}.`);
    }
  }
  return out;
}

/** The first value of the first key present. */
export function one(p: Params, ...keys: string[]): string | undefined {
  return list(p, ...keys)[0];
}

export function toInt(v: unknown, name: string): number {
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s !== 'string' || !/^\d{1,10}$/.test(s.trim()) || Number(s) > MAX_INT)
    throw new BugzillaError(52, `Invalid ${name} "${String(v)}": it must be a positive integer.`);
  return Number(s);
}

export function ints(p: Params, ...keys: string[]): number[] {
  return list(p, ...keys).map((v) => toInt(v, keys[0]));
}

export function toBool(v: unknown, name: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
  }
  throw new BugzillaError(53, `Invalid ${name}: it must be true or false.`);
}

export function bool(p: Params, key: string): boolean | undefined {
  const v = Array.isArray(p[key]) ? (p[key] as unknown[])[0] : p[key];
  return v === undefined || v === null ? undefined : toBool(v, key);
}

/** A Bugzilla datetime (`2026-01-02T03:04:05Z`, `20260102T03:04:05`, a date). */
export function toDate(v: string, name: string): Date {
  const s = /^\d{8}T/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}` : v;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new BugzillaError(56, `Invalid ${name} "${v}": not a date and time.`);
  return d;
}

/** A string field of a JSON body (numbers are accepted as their text). */
export function str(body: Params, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new BugzillaError(53, `Invalid value for ${key}: it must be a string.`);
}

export function strList(body: Params, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  return list({ [key]: v }, key);
}

export interface SetChange<T> {
  add?: T[];
  remove?: T[];
  set?: T[];
}

/** `{add, remove, set}` as Bugzilla's update takes it; a plain value or list means `set`. */
export function setChange<T>(body: Params, key: string, conv: (v: string) => T): SetChange<T> | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Params;
    const unknown = Object.keys(o).filter((k) => !['add', 'remove', 'set'].includes(k));
    if (unknown.length) throw new BugzillaError(53, `Invalid ${key}: use add, remove or set.`);
    const part = (k: string) => (o[k] === undefined ? undefined : list(o, k).map(conv));
    return { add: part('add'), remove: part('remove'), set: part('set') };
  }
  return { set: list({ [key]: v }, key).map(conv) };
}

export function applySet<T>(current: T[], change: SetChange<T>): T[] {
  let out = change.set ? [...change.set] : [...current];
  if (change.add) for (const a of change.add) if (!out.includes(a)) out.push(a);
  if (change.remove) out = out.filter((x) => !change.remove!.includes(x));
  return out;
}

/** `include_fields` / `exclude_fields`, repeated or comma-separated. */
export function fieldList(p: Params, key: string): string[] | null {
  if (p[key] === undefined) return null;
  return list(p, key)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export interface FieldSelection {
  include: string[] | null;
  exclude: string[];
}

export const selection = (p: Params): FieldSelection => ({
  include: fieldList(p, 'include_fields'),
  exclude: fieldList(p, 'exclude_fields') ?? [],
});

/** Whether a (top-level) field is wanted, so callers skip loading what is not. */
export function wants(sel: FieldSelection, field: string, byDefault = true): boolean {
  if (sel.exclude.includes(field)) return false;
  if (!sel.include) return byDefault;
  if (sel.include.includes('_all')) return true;
  if (sel.include.some((f) => f === field || f.startsWith(`${field}.`))) return true;
  return byDefault && sel.include.includes('_default');
}

/** Splits of field lists already made (a search picks the same fields from each of its bugs). */
const splits = new WeakMap<string[], Map<string, string[] | null>>();

const split = (fields: string[]): Map<string, string[] | null> => {
  const known = splits.get(fields);
  if (known) return known;
  const m = new Map<string, string[] | null>();
  splits.set(fields, m);
  for (const f of fields) {
    const dot = f.indexOf('.');
    if (dot < 0) m.set(f, null);
    else {
      const top = f.slice(0, dot);
      const prev = m.get(top);
      if (prev === null) continue;
      m.set(top, [...(prev ?? []), f.slice(dot + 1)]);
    }
  }
  return m;
};

const applyNested = (v: unknown, fn: (o: Params) => Params): unknown =>
  Array.isArray(v)
    ? v.map((x) => (x && typeof x === 'object' ? fn(x as Params) : x))
    : v && typeof v === 'object'
      ? fn(v as Params)
      : v;

/**
 * Applies include/exclude to one object as Bugzilla does: `_all`, `_default`, dotted names for
 * sub-objects (`components.name`). Fields outside `_default` appear only when named.
 */
export function pick(obj: Params, sel: FieldSelection, opts: { always?: string[]; extra?: string[] } = {}): Params {
  // (nothing asked for or left out, and no field that needs asking for: the object as it is)
  if (!sel.include && !sel.exclude.length && !opts.extra?.some((k) => k in obj)) return obj;
  const extra = new Set(opts.extra ?? []);
  const inc = sel.include ? split(sel.include) : null;
  const exc = split(sel.exclude);
  const all = inc?.has('_all') ?? false;
  const defaults = !inc || inc.has('_default') || all;
  const out: Params = {};
  for (const [key, value] of Object.entries(obj)) {
    const always = opts.always?.includes(key) ?? false;
    const named = inc?.get(key);
    const included =
      always || (inc !== null && inc.has(key)) || all || (defaults && !extra.has(key)) || named !== undefined;
    if (!included) continue;
    const ex = exc.get(key);
    if (ex === null && !always) continue;
    let v = value;
    if (named) v = applyNested(v, (o) => pick(o, { include: named, exclude: [] }));
    if (ex) v = applyNested(v, (o) => pick(o, { include: null, exclude: ex }));
    out[key] = v;
  }
  return out;
}
