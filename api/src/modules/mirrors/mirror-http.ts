import { type Agent as HttpAgent, request as httpRequest } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect } from 'node:net';

/** Keep-alive pools to reuse, by protocol; without them every request opens its own connection. */
export interface Agents {
  http: HttpAgent;
  https: HttpsAgent;
}

export interface FetchResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  ms: number;
}

/** Node's codes for a certificate that does not verify (self-signed, expired, wrong name …). */
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|DEPTH_ZERO|UNABLE_TO_GET_ISSUER/;

export class FetchError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }

  get tls(): boolean {
    return TLS_CODES.test(this.code);
  }
}

/**
 * One GET or HEAD with a hard deadline and a body cap, without redirects (a mirror that redirects
 * its TIME file elsewhere is not serving it). Certificates are verified unless told otherwise.
 */
export function fetchOnce(
  url: string,
  opts: { method?: 'GET' | 'HEAD'; timeoutMs: number; maxBytes?: number; insecure?: boolean; agents?: Agents },
): Promise<FetchResult> {
  const started = Date.now();
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new FetchError(`bad URL ${url}`, 'ERR_INVALID_URL'));
      return;
    }
    const https = parsed.protocol === 'https:';
    const make = https ? httpsRequest : httpRequest;
    const req = make(
      parsed,
      {
        method: opts.method ?? 'GET',
        headers: { 'user-agent': 'OpenCloudOS-Hub-mirror-probe/1' },
        rejectUnauthorized: !opts.insecure,
        agent: opts.agents ? (https ? opts.agents.https : opts.agents.http) : false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy(new FetchError(`${url}: body larger than ${maxBytes} bytes`, 'ERR_TOO_LARGE'));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            ms: Date.now() - started,
          }),
        );
        res.on('error', (err: NodeJS.ErrnoException) => reject(new FetchError(err.message, err.code ?? 'ERR')));
      },
    );
    req.setTimeout(opts.timeoutMs, () => req.destroy(new FetchError(`${url}: timed out`, 'ETIMEDOUT')));
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(err instanceof FetchError ? err : new FetchError(err.message, err.code ?? 'ERR')),
    );
    req.end();
  });
}

/** rsync mirrors: reachability only (a TCP connection to the daemon's port). */
export function tcpReachable(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      resolve(false);
      return;
    }
    const socket = connect({ host: parsed.hostname, port: Number(parsed.port || 873) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
