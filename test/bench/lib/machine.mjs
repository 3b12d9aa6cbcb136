import pg from 'pg';

/**
 * How fast this machine is right now, by two yardsticks that do not depend on the product: a
 * fixed piece of JavaScript (allocation and arithmetic, median of 5 runs) and the round trip of
 * `SELECT 1` on one PostgreSQL connection (median of 1,000). The machines these benches run on
 * change speed by a third from one hour to the next; two runs compare when these readings do.
 */
export async function measureMachine(databaseUrl) {
  const loops = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    let acc = 0;
    for (let k = 0; k < 8_000_000; k++) {
      const o = { k, s: `${k & 1023}` };
      acc += (o.k % 7) + o.s.length;
    }
    if (acc < 0) throw new Error('unreachable');
    loops.push(performance.now() - t);
  }
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const trips = [];
  try {
    for (let i = 0; i < 1100; i++) {
      const t = performance.now();
      await client.query('SELECT 1');
      if (i >= 100) trips.push(performance.now() - t);
    }
  } finally {
    await client.end();
  }
  return { jsLoopMs: round(median(loops), 1), pgRoundTripUs: round(median(trips) * 1000, 0) };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const round = (v, digits) => Number(v.toFixed(digits));
