/**
 * Hostile Markdown and HTML for the renderer of user text (web/src/lib/server/markdown.ts). Every
 * payload, should it ever run, calls `__xss(<its number>)` (or `parent.__xss` from a frame), so a
 * test that defines `window.__xss` sees which one got through. Payloads are separated by blank
 * lines when concatenated, so that each starts a fresh Markdown block.
 *
 * Sources of the tricks: the OWASP XSS filter evasion cheat sheet, the DOMPurify mXSS write-ups
 * (namespace confusion through <math>/<svg>, <noscript>, comments) and CommonMark's rules for link
 * destinations, titles, autolinks and entity references.
 */

const base64 = (text: string): string => Buffer.from(text).toString('base64');
const decimalEntities = (text: string): string => [...text].map((c) => `&#${c.codePointAt(0)};`).join('');

/** One attack: its number, a short name for failure messages, and the Markdown source. */
export interface XssPayload {
  n: number;
  name: string;
  source: string;
}

const PAYLOADS: readonly [string, (call: string, n: number) => string][] = [
  // raw HTML that runs by itself
  ['script tag', (c) => `<script>${c}</script>`],
  ['img onerror', (c) => `<img src=x onerror="${c}">`],
  ['svg onload', (c) => `<svg onload=${c}>`],
  ['script inside svg', (c) => `<svg><script>${c}</script></svg>`],
  ['upper-case IMG with javascript: src', (c) => `<IMG SRC=JaVaScRiPt:${c}>`],
  ['details ontoggle', (c) => `<details open ontoggle="${c}"><summary>x</summary></details>`],
  ['body onload', (c) => `<body onload="${c}">`],
  ['autofocus input onfocus', (c) => `<input autofocus onfocus="${c}">`],
  ['video source onerror', (c) => `<video><source onerror="${c}"></video>`],
  ['entity-encoded handler', (c) => `<img src=x onerror="${decimalEntities(c)}">`],
  ['newline inside the tag', (c) => `<img src="x"\nonerror="${c}">`],
  ['unknown tag with handler', (c) => `<x-foo onclick="${c}" tabindex=0 autofocus onfocus="${c}">x</x-foo>`],
  // mutated and nested tags
  ['split script tag', (c) => `<scr<script>ipt>${c}</scr</script>ipt>`],
  ['comment trick', (c) => `<!--><img src=x onerror="${c}">-->`],
  ['CDATA trick', (c) => `<![CDATA[><img src=x onerror="${c}">]]>`],
  ['title element mXSS', (c) => `<title><img src=x onerror="${c}"></title>`],
  ['noscript mXSS (bites without JavaScript)', (c) => `<noscript><p title="</noscript><img src=x onerror=${c}>">`],
  ['math/mglyph/style mXSS', (c) => `<math><mtext><table><mglyph><style><img src=x onerror=${c}>`],
  [
    'math/mglyph/style comment mXSS',
    (c) => `<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=${c}&gt;">`,
  ],
  ['svg style mXSS', (c) => `<svg><style><img src=x onerror=${c}></style></svg>`],
  // elements that load, navigate or change where things go
  ['iframe srcdoc', (c) => `<iframe srcdoc="<script>parent.${c}</script>"></iframe>`],
  ['iframe javascript: src', (c) => `<iframe src="javascript:parent.${c}"></iframe>`],
  ['style @import', (c) => `<style>@import 'javascript:${c}';</style>`],
  ['style url()', (c) => `<style>.markdown{background:url("javascript:${c}")}</style>`],
  ['style attribute', (c) => `<p style="background:url(javascript:${c});width:expression(${c})">styled</p>`],
  ['meta refresh', (c) => `<meta http-equiv="refresh" content="0;url=javascript:${c}">`],
  ['form action', (c) => `<form action="javascript:${c}"><button>go</button></form>`],
  ['button formaction', (c) => `<button formaction="javascript:${c}">go</button>`],
  ['base href', (c) => `<base href="javascript:${c}//">`],
  ['object data', (c) => `<object data="javascript:${c}"></object>`],
  ['embed src', (c) => `<embed src="javascript:${c}">`],
  ['link import', (c) => `<link rel="stylesheet" href="javascript:${c}">`],
  ['svg xlink:href', (c) => `<svg><a xlink:href="javascript:${c}"><text y="20">x</text></a></svg>`],
  // HTML links
  ['html javascript: link', (c) => `<a href="javascript:${c}">html link</a>`],
  ['html entity-encoded scheme', (c) => `<a href="jav&#x61;script:${c}">entity</a>`],
  ['html &colon; scheme', (c) => `<a href="javascript&colon;${c}">colon</a>`],
  ['html newline entity in scheme', (c) => `<a href="java&#x0A;script:${c}">newline</a>`],
  ['html control character before scheme', (c) => `<a href="\u0001javascript:${c}">control</a>`],
  ['html link with onclick', (c) => `<a href="https://example.com/" onclick="${c}" target="_blank">click</a>`],
  // Markdown links and images
  ['markdown javascript: link', (c) => `[click](javascript:${c})`],
  ['markdown mixed-case scheme', (c) => `[click](JaVaScRiPt:${c})`],
  ['markdown vbscript: link', (c) => `[click](vbscript:${c})`],
  ['markdown data: link', (c) => `[click](data:text/html;base64,${base64(`<script>${c}</script>`)})`],
  ['markdown leading spaces', (c) => `[x](  javascript:${c})`],
  ['markdown angle-bracket destination with tab', (c) => `[x](<java\tscript:${c}>)`],
  ['markdown entity in scheme', (c) => `[x](jav&#x61;script:${c})`],
  ['markdown fully entity-encoded scheme', (c) => `[x](${decimalEntities('javascript:')}${c})`],
  ['markdown entities without semicolons', (c) => `[x](&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A${c})`],
  ['markdown &colon; scheme', (c) => `[x](javascript&colon;${c})`],
  ['markdown control-character entity', (c) => `[x](&#x0001;javascript:${c})`],
  ['markdown backslash-escaped colon', (c) => `[x](javascript\\:${c})`],
  ['markdown fullwidth colon', (c) => `[x](javascript\uFF1A${c})`],
  ['markdown zero-width space in scheme', (c) => `[x](java\u200Bscript:${c})`],
  ['autolink javascript:', (c) => `<javascript:${c}>`],
  ['autolink data:', (c) => `<data:text/html,${encodeURIComponent(`<script>${c}</script>`)}>`],
  ['reference link to javascript:', (c, n) => `[ref][evil${n}]\n\n[evil${n}]: javascript:${c}`],
  ['reference link in angle brackets with title', (c, n) => `[ref][evil${n}]\n\n[evil${n}]: <javascript:${c}> "t"`],
  ['title breaking out with double quote', (c) => `[x](https://example.com/ "a\\" onmouseover=\\"${c}")`],
  ['title breaking out with single quote', (c) => `[x](https://example.com/ 'a" onfocus="${c}" autofocus="')`],
  ['title breaking out in parentheses', (c) => `[x](https://example.com/ (a"><img src=x onerror=${c}>))`],
  ['image src breaking out', (c) => `![x](x" onerror="${c})`],
  ['image title breaking out', (c) => `![x](https://example.com/a.png "\\" onerror=\\"${c}")`],
  ['image alt with HTML', (c) => `![<img src=x onerror=${c}>](https://example.com/a.png)`],
  ['image javascript: src', (c) => `![x](javascript:${c})`],
  [
    'image data: svg',
    (c) => `![x](data:image/svg+xml;base64,${base64(`<svg xmlns="http://www.w3.org/2000/svg" onload="${c}"/>`)})`,
  ],
  ['link text with HTML', (c) => `[<img src=x onerror=${c}>](https://example.com/)`],
  ['link followed by HTML', (c) => `[x](https://example.com/)<img src=x onerror=${c}>`],
  // code and tables must stay text
  ['HTML in a code span', (c) => `\`<img src=x onerror=${c}>\``],
  ['fenced code closing the code tag', (c) => `\`\`\`\n</code></pre><img src=x onerror=${c}>\n\`\`\``],
  ['fenced code info string breaking out of class', (c) => `\`\`\`"><img src=x onerror=${c}>\ncode\n\`\`\``],
  ['HTML in a table cell', (c) => `| a |\n|---|\n| <img src=x onerror=${c}> |`],
  ['HTML in a heading', (c) => `# <img src=x onerror=${c}>`],
  // last: an unclosed <script> opens an HTML block that runs to the end of the document
  ['script without closing tag', (c) => `<script src="data:text/javascript,${c}"`],
];

export const XSS_CORPUS: readonly XssPayload[] = PAYLOADS.map(([name, make], index) => {
  const n = index + 1;
  return { n, name, source: make(`__xss(${n})`, n) };
});
