import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { downloadPathOf } from './download-path';
import { redirectFor } from './download-redirect';
import { MirrorDirectory } from './mirror-directory.service';
import { ClientCountry } from './mirror-geoip';

const SIMPLE_QUERY = /^(country=[A-Za-z]{2})?$/;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Answers the common /download/<file> redirect straight on the HTTP server, before Express and
 * Nest see it: a download redirect is a map lookup and a header, and the framework's per-request
 * work would cost more than that many times over. Anything unusual (an unknown file, a bad
 * country, another query parameter, no mirror table loaded yet) falls through to
 * DownloadController, which answers the same way and produces the error responses.
 */
@Injectable()
export class DownloadFastPath implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly directory: MirrorDirectory,
    private readonly country: ClientCountry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server || typeof server.listeners !== 'function') return;
    const others = server.listeners('request') as Listener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (this.handle(req, res)) return;
      for (const listener of others) listener.call(server, req, res);
    });
  }

  /** True when it answered. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !url.startsWith('/download/')) return false;
    const q = url.indexOf('?');
    const query = q < 0 ? '' : url.slice(q + 1);
    if (!SIMPLE_QUERY.test(query)) return false;
    const snapshot = this.directory.peek();
    if (!snapshot) return false;
    const r = redirectFor(
      this.directory,
      snapshot,
      downloadPathOf(url),
      this.countryOf(req, query),
      this.config.mirrorMasterUrl,
    );
    if (!r) return false;
    const headers: Record<string, string> = {
      location: r.location,
      'cache-control': 'private, no-store',
      'x-mirror': r.mirror,
      'x-content-type-options': 'nosniff',
      'content-length': '0',
    };
    if (r.link) headers.link = r.link;
    res.writeHead(302, headers);
    res.end();
    return true;
  }

  private countryOf(req: IncomingMessage, query: string): string | null {
    return this.country.of(req, query ? query.slice('country='.length) : null);
  }
}
