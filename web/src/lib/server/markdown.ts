import { Marked, Renderer, type Tokens } from 'marked';
import sanitizeHtml, { type IOptions, type Transformer } from 'sanitize-html';

/**
 * Markdown written by users (SIG descriptions, bug comments …) turned into HTML that is safe for
 * `{@html}`. Two layers, so that a bug in one is caught by the other:
 *
 * 1. marked renders GFM, but any raw HTML in the source is escaped: it shows as text, never as markup;
 * 2. sanitize-html then keeps only the handful of tags and attributes marked itself produces, and only
 *    URLs we checked with the same WHATWG parser the browser uses.
 *
 * Runs only on the server (no DOM needed), so pages render the same with JavaScript off.
 */

/** Longer input is cut: marked is linear on ordinary text, but we do not bet the process on it. */
export const MARKDOWN_MAX_CHARS = 200_000;

const LINK_REL = 'nofollow noopener noreferrer ugc';
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_PROTOCOLS = new Set(['http:', 'https:']);
// Never resolves to anything real; only used to tell a same-site path from a protocol-relative one.
const PROBE_BASE = 'https://relative.invalid/';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The URL as given when it is an absolute URL with one of `protocols`, or a path on this site
 * (`/…`, `#…`); otherwise null. The browser strips leading spaces and control characters and tabs
 * or newlines anywhere, and so does `new URL`, so `java\tscript:` is seen as what it is.
 */
function checkedUrl(raw: string | undefined, protocols: ReadonlySet<string>, allowRelative: boolean): string | null {
  if (!raw) return null;
  // eslint-disable-next-line no-control-regex -- exactly the characters the URL parser ignores
  const value = raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (value === '') return null;
  try {
    return protocols.has(new URL(value).protocol) ? value : null;
  } catch {
    // not absolute: fall through to the relative check
  }
  if (!allowRelative || !(value.startsWith('/') || value.startsWith('#'))) return null;
  try {
    // `//host` and `/\host` are protocol-relative: they leave the site
    return new URL(value, PROBE_BASE).origin === new URL(PROBE_BASE).origin ? value : null;
  } catch {
    return null;
  }
}

const transformLink: Transformer = (_tagName, attribs) => {
  const href = checkedUrl(attribs.href, LINK_PROTOCOLS, true);
  return {
    tagName: 'a',
    attribs: {
      ...(href === null ? {} : { href }),
      ...(attribs.title ? { title: attribs.title } : {}),
      rel: LINK_REL,
    },
  };
};

const transformImage: Transformer = (_tagName, attribs) => {
  const src = checkedUrl(attribs.src, IMAGE_PROTOCOLS, false);
  return {
    tagName: 'img',
    attribs: {
      ...(src === null ? {} : { src }),
      alt: attribs.alt ?? '',
      ...(attribs.title ? { title: attribs.title } : {}),
      loading: 'lazy',
      referrerpolicy: 'no-referrer',
    },
  };
};

// Task-list items: whatever came in, only an inert, disabled checkbox goes out.
const transformCheckbox: Transformer = (_tagName, attribs) => ({
  tagName: 'input',
  attribs: { type: 'checkbox', disabled: '', ...('checked' in attribs ? { checked: '' } : {}) },
});

const INLINE_TAGS = ['a', 'img', 'code', 'em', 'strong', 'del', 'br'];

const SHARED: IOptions = {
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'loading', 'referrerpolicy'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
    code: ['class'],
    div: ['class'],
    input: ['type', 'checked', 'disabled'],
  },
  allowedClasses: { code: [/^language-[\w+#.-]+$/], div: ['table-wrap'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  allowedStyles: {},
  transformTags: { a: transformLink, img: transformImage, input: transformCheckbox },
  // an image whose source was refused is dropped rather than shown broken
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  disallowedTagsMode: 'discard',
  parser: { lowerCaseTags: true, lowerCaseAttributeNames: true },
};

const BLOCK_OPTIONS: IOptions = {
  ...SHARED,
  allowedTags: [
    ...INLINE_TAGS,
    'p',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'pre',
    'hr',
    'ul',
    'ol',
    'li',
    'input',
    'div',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
};

const INLINE_OPTIONS: IOptions = { ...SHARED, allowedTags: INLINE_TAGS };

// `breaks`: single newlines are kept, as in GitHub comments and as descriptions were shown before.
const marked = new Marked({ gfm: true, breaks: true, async: false });
marked.use({
  renderer: {
    // Raw HTML in the source (blocks and inline tags alike) is shown as the text it is.
    html({ text, block }: Tokens.HTML | Tokens.Tag): string {
      return block ? `<p>${escapeHtml(text.trim())}</p>\n` : escapeHtml(text);
    },
    // Wide tables scroll sideways and look like the site's other tables.
    table(token: Tokens.Table): string {
      return `<div class="table-wrap">${Renderer.prototype.table.call(this, token)}</div>\n`;
    },
  },
});

function clip(source: string): string {
  return source.length > MARKDOWN_MAX_CHARS ? source.slice(0, MARKDOWN_MAX_CHARS) : source;
}

/** GFM to safe HTML (block level). Never throws: on a failure the text comes back escaped, in a `<p>`. */
export function renderMarkdown(source: string): string {
  if (typeof source !== 'string' || source.trim() === '') return '';
  const text = clip(source);
  try {
    return sanitizeHtml(marked.parse(text, { async: false }), BLOCK_OPTIONS);
  } catch {
    return `<p>${escapeHtml(text)}</p>`;
  }
}

/** One line of Markdown (emphasis, code, links) to safe inline HTML, for titles and summaries. */
export function renderMarkdownInline(source: string): string {
  if (typeof source !== 'string' || source === '') return '';
  const text = clip(source);
  try {
    return sanitizeHtml(marked.parseInline(text, { async: false }), INLINE_OPTIONS);
  } catch {
    return escapeHtml(text);
  }
}
