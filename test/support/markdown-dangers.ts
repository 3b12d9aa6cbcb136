/**
 * The inspection of rendered user Markdown, shared by the suites that render it (SIG descriptions
 * in markdown.e2e.ts, bug comments in bugs.e2e.ts).
 */

export interface Finding {
  payload: string;
  problem: string;
  html: string;
}

/**
 * Everything inside `.markdown` that could run script, load something, navigate or leave the site:
 * runs in the page (it needs the parsed DOM), returns plain data.
 */
export function findDangers(roots: Element[]): Finding[] {
  const FORBIDDEN_TAGS = new Set([
    'script',
    'iframe',
    'frame',
    'frameset',
    'object',
    'embed',
    'applet',
    'style',
    'link',
    'form',
    'button',
    'select',
    'textarea',
    'base',
    'meta',
    'svg',
    'math',
    'noscript',
    'template',
    'video',
    'audio',
    'source',
    'details',
    'title',
  ]);
  const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'cite'];
  const findings: Finding[] = [];

  const urlIsSafe = (element: Element, value: string): boolean => {
    const trimmed = value.trim();
    // same-site paths and fragments; `//host` and `/\host` are not paths but other sites
    if (/^#/.test(trimmed) || /^\/(?![/\\])/.test(trimmed)) return true;
    let protocol: string;
    try {
      protocol = new URL(trimmed).protocol;
    } catch {
      return false;
    }
    const allowed = element.tagName === 'IMG' ? ['http:', 'https:'] : ['http:', 'https:', 'mailto:'];
    return allowed.includes(protocol);
  };

  for (const root of roots) {
    const headings = Array.from(root.querySelectorAll('h3'));
    const payloadOf = (element: Element): string => {
      const before = headings.filter((h) => h.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING);
      return before.at(-1)?.textContent ?? '(before the first payload)';
    };
    for (const element of Array.from(root.querySelectorAll('*'))) {
      const report = (problem: string) =>
        findings.push({ payload: payloadOf(element), problem, html: element.outerHTML.slice(0, 300) });
      const tag = element.tagName.toLowerCase();
      if (FORBIDDEN_TAGS.has(tag) || element.namespaceURI !== 'http://www.w3.org/1999/xhtml')
        report(`<${tag}> element`);
      if (tag === 'input' && !(element.getAttribute('type') === 'checkbox' && element.hasAttribute('disabled')))
        report('input that is not a disabled checkbox');
      for (const { name, value } of Array.from(element.attributes)) {
        if (/^on/i.test(name)) report(`event handler attribute ${name}`);
        if (['style', 'srcdoc', 'target', 'id', 'name', 'formaction', 'action'].includes(name.toLowerCase()))
          report(`attribute ${name}`);
        if (URL_ATTRIBUTES.includes(name.toLowerCase()) && !urlIsSafe(element, value))
          report(`unsafe URL in ${name}: ${value}`);
      }
      if (tag === 'a') {
        const rel = (element.getAttribute('rel') ?? '').split(/\s+/);
        for (const needed of ['nofollow', 'noopener', 'noreferrer', 'ugc'])
          if (!rel.includes(needed)) report(`link without rel=${needed}`);
      }
    }
  }
  return findings;
}
