import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Smaller pages are not worth the CPU (one TCP packet either way). */
const MIN_BYTES = 1400;
const COMPRESSIBLE = /^(text\/|application\/(xml|json|atom\+xml|javascript))/;

/**
 * Server-rendered pages leave compressed (brotli, else gzip) when the browser accepts it: a 19 kB
 * page becomes ~5 kB, one round trip on a slow mobile link instead of two. Static assets are
 * precompressed at build time (svelte.config.js) and never pass through here.
 */
export async function compressed(request: Request, response: Response): Promise<Response> {
  const type = response.headers.get('content-type') ?? '';
  if (
    request.method === 'HEAD' ||
    !response.body ||
    response.headers.has('content-encoding') ||
    !COMPRESSIBLE.test(type) ||
    response.status === 204 ||
    response.status === 304
  ) {
    return response;
  }
  const accept = request.headers.get('accept-encoding') ?? '';
  const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
  const headers = new Headers(response.headers);
  headers.append('vary', 'Accept-Encoding');
  if (!encoding)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  const raw = Buffer.from(await response.arrayBuffer());
  if (raw.byteLength < MIN_BYTES) {
    return new Response(raw, { status: response.status, statusText: response.statusText, headers });
  }
  const body =
    encoding === 'br'
      ? await brotli(raw, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: raw.byteLength },
        })
      : await gz(raw, { level: 6 });
  headers.set('content-encoding', encoding);
  headers.set('content-length', String(body.byteLength));
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
