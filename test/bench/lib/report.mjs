function fixed(n, digits) {
  return n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits);
}

function row(cells, widths) {
  return cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
}

/** The console table: a product row and a baseline row per scenario, ratios on the product row. */
export function formatTable(results) {
  const header = [
    'scenario',
    'target',
    'req/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'errors',
    'non-2xx',
    'req/s ratio',
    'p95 ratio',
    'p99 ratio',
    'goal',
  ];
  const lines = [];
  for (const r of results) {
    for (const target of ['product', 'baseline']) {
      const m = r[target];
      const isProduct = target === 'product';
      lines.push([
        isProduct ? r.name : '',
        isProduct ? target : (r.baselineKind ?? target),
        fixed(m.reqPerSec, 0),
        fixed(m.latencyMs.p50, 2),
        fixed(m.latencyMs.p95, 2),
        fixed(m.latencyMs.p99, 2),
        m.errors,
        m.non2xx,
        isProduct ? fixed(r.ratio.throughput, 3) : '',
        isProduct ? `${fixed(r.ratio.p95, 1)}x` : '',
        isProduct ? `${fixed(r.ratio.p99, 1)}x` : '',
        isProduct ? goalCell(r) : '',
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  return [row(header, widths), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map((l) => row(l, widths))].join(
    '\n',
  );
}

/** `{ p95: 50 }` → [['p95', 50, measured, pass]] for the product's run. */
function goals(r) {
  return Object.entries(r.targets ?? {}).map(([p, limit]) => {
    const measured = r.product.latencyMs[p];
    return { p, limit, measured, pass: measured !== null && measured <= limit };
  });
}

function goalCell(r) {
  return goals(r)
    .map((g) => `${g.p}<=${g.limit} ${g.pass ? 'PASS' : 'FAIL'}`)
    .join(' ');
}

/** One line per scenario target: measured against the limit, PASS or FAIL. */
export function goalLines(results) {
  return results.flatMap((r) =>
    goals(r).map(
      (g) => `${g.pass ? 'PASS' : 'FAIL'}  ${r.name}: ${g.p} ${fixed(g.measured, 1)} ms (target <= ${g.limit} ms)`,
    ),
  );
}

/** Anything that makes the run a failure, one line each. */
export function failures(results) {
  const out = [];
  for (const r of results) {
    for (const target of ['product', 'baseline']) {
      const m = r[target];
      if (m.errors || m.non2xx) {
        out.push(
          `${r.name} (${target}): ${m.errors} errors (${m.timeouts} timeouts), ${m.non2xx} non-2xx ${JSON.stringify(m.statusCodes)}`,
        );
      }
    }
  }
  return out;
}
