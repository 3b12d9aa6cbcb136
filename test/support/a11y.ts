import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
  html: string;
}

interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** WCAG 2.x A and AA, plus axe's best practices (landmarks, headings, regions). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const FAILING = new Set(['serious', 'critical']);

let source: string | undefined;

/**
 * Runs axe-core on the page as it is now and fails listing every serious or critical violation
 * (rule, help, the elements and what is wrong with each). The script goes in through the DevTools
 * protocol, so the page's Content-Security-Policy does not stop it; a page opened without
 * JavaScript is checked from a copy of its HTML in a scripted tab of the same browser context.
 */
export async function expectAccessible(page: Page, what = new URL(page.url()).pathname): Promise<void> {
  source ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  let target = page;
  let scratch: Page | null = null;
  if (!(await scriptsRun(page))) {
    // same origin and styles, scripts on; the copy is only read, never interacted with
    const html = await page.content();
    scratch = await page.context().browser()!.newPage({ baseURL: page.url(), javaScriptEnabled: true });
    // the page itself and its styles (contrast needs them); scripts, images and fonts stay out
    await scratch.route('**/*', (route) => {
      const request = route.request();
      if (request.isNavigationRequest()) {
        return route.fulfill({ contentType: 'text/html', body: html.replace(/<script[\s\S]*?<\/script>/gi, '') });
      }
      return request.resourceType() === 'stylesheet' ? route.continue() : route.abort();
    });
    await scratch.goto(page.url());
    target = scratch;
  }
  try {
    await target.evaluate(source);
    const violations = await target.evaluate(async (tags) => {
      const axe = (
        window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }
      ).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations;
    }, TAGS);
    const failing = (violations as AxeViolation[]).filter((v) => v.impact && FAILING.has(v.impact));
    if (failing.length) {
      const lines = failing.flatMap((v) => [
        `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})`,
        ...v.nodes
          .slice(0, 8)
          .map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`),
        ...(v.nodes.length > 8 ? [`    … and ${v.nodes.length - 8} more`] : []),
      ]);
      throw new Error(`axe-core: ${failing.length} serious or critical violation(s) on ${what}:\n${lines.join('\n')}`);
    }
  } finally {
    await scratch?.close();
  }
}

/** Whether the page's timers run: evaluate works without JavaScript too, but axe needs timers. */
async function scriptsRun(page: Page): Promise<boolean> {
  const tick = page.evaluate(() => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 0)));
  tick.catch(() => undefined);
  return Promise.race([tick, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 150))]);
}
