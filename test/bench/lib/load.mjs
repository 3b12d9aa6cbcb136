import autocannon from 'autocannon';

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * One autocannon run. Latency percentiles are computed here from every response's time, because
 * autocannon's own histogram has whole-millisecond buckets and no p95.
 */
export async function runLoad({ url, method, headers, body, requests, connections, durationSeconds }) {
  let times = new Float64Array(1 << 16);
  let count = 0;
  const instance = autocannon({
    url,
    method,
    headers,
    body,
    // only when given: autocannon's defaults are merged with Object.assign
    ...(requests ? { requests } : {}),
    connections,
    duration: durationSeconds,
    timeout: 10,
  });
  instance.on('response', (_client, _statusCode, _bytes, responseTime) => {
    if (count === times.length) {
      const bigger = new Float64Array(times.length * 2);
      bigger.set(times);
      times = bigger;
    }
    times[count++] = responseTime;
  });
  const result = await instance;
  const sorted = times.subarray(0, count).sort();
  const seconds = (new Date(result.finish) - new Date(result.start)) / 1000 || durationSeconds;
  return {
    requests: count,
    reqPerSec: count / seconds,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: count ? sorted[count - 1] : null,
      mean: count ? sorted.reduce((a, b) => a + b, 0) / count : null,
    },
    // autocannon counts timeouts among the errors too.
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: result.statusCodeStats,
    bytesPerSec: result.throughput.average,
  };
}
