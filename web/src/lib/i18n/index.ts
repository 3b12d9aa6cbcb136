import type { MessageKey } from './en';

export type { MessageKey } from './en';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'en';
export const LANG_COOKIE = 'och_lang';

type Catalogue = Record<MessageKey, string>;

/**
 * Catalogues are loaded on demand (`loadCatalogue`), so that a browser downloads only its own
 * language: each is its own chunk. The server loads both at start-up (hooks.server.ts `init`), the
 * root layout's load awaits the visitor's before anything calls `translator`.
 */
const catalogues: Partial<Record<Lang, Catalogue>> = {};

export async function loadCatalogue(lang: Lang): Promise<void> {
  if (catalogues[lang]) return;
  catalogues[lang] = lang === 'zh-CN' ? (await import('./zh-cn')).zhCN : (await import('./en')).en;
}

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** Every catalogue has exactly the same keys (zh-cn.ts is typed so), so any loaded one answers. */
export function isMessageKey(key: string): key is MessageKey {
  const loaded = catalogues[DEFAULT_LANG] ?? catalogues['zh-CN'];
  return !!loaded && Object.hasOwn(loaded, key);
}

export function translator(lang: Lang): Translate {
  // An error page can render before its layout's load ran: then any loaded catalogue, else the keys.
  const messages: Partial<Catalogue> = catalogues[lang] ?? catalogues[DEFAULT_LANG] ?? catalogues['zh-CN'] ?? {};
  return (key, params) => {
    const message = messages[key] ?? key;
    if (!params) return message;
    return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
  };
}

/** Picks zh-CN for any Chinese Accept-Language entry that outranks the first non-Chinese one. */
export function langFromAcceptLanguage(header: string | null): Lang {
  if (!header) return DEFAULT_LANG;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...attrs] = part.trim().split(';');
      const q = attrs.map((a) => a.trim()).find((a) => a.startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const first = ranked[0];
  return first?.tag.startsWith('zh') ? 'zh-CN' : 'en';
}

export function formatDate(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // One fixed zone, the community's, so server-rendered and hydrated text agree; it is named.
  return new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Asia/Shanghai',
    timeZoneName: 'short',
  }).format(date);
}
