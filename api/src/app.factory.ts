import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { Logger as PinoLogger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { AuthedRequest } from './common/actor';
import { DomainError } from './common/errors';
import { nulGuard } from './common/nul-guard';
import { requestLog } from './common/request-log';
import { ProblemFilter } from './common/problem.filter';
import { createValidationPipe } from './common/validation';
import { AppModule, ROOT_LOGGER } from './app.module';
import { AppConfig } from './config/config';
import { Authenticator } from './modules/auth/authenticator.service';
import { MetricsService } from './modules/metrics/metrics.service';
import { QueueRegistry } from './queue/queue-registry.service';

/** Paths the API process answers itself; every other path is a page of the web app. */
export const API_PATH = /^\/(api|rest|metalink|mirrorlist|metrics|admin\/queues)(\/|$|\?)|^\/download\//;

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('OpenCloudOS Hub API')
    .setDescription(
      'Community portal and governance service of OpenCloudOS. Authenticate with the session cookie (browsers; send ' +
        'x-csrf-token on unsafe requests) or a personal API token as `Authorization: Bearer och_…`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Personal API token (och_…)' })
    .addCookieAuth('och_session')
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}

// A real dynamic import survives the CommonJS build (tsc would turn `import()` into `require`).
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the one way to import ESM from CommonJS output
const importEsm = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<{ handler: RequestHandler }>;

async function mountWeb(app: NestExpressApplication, config: AppConfig): Promise<void> {
  if (config.webMode === 'off') return;
  let handler: RequestHandler;
  if (config.webMode === 'proxy') {
    const { createProxyMiddleware } = await import('http-proxy-middleware');
    handler = createProxyMiddleware({ target: config.webUpstreamUrl, changeOrigin: false, xfwd: true });
  } else {
    const file = resolve(__dirname, '../../web/build/handler.js');
    if (!existsSync(file))
      throw new Error(`WEB_MODE=embedded but ${file} is missing: run "npm run build -w web" first`);
    // SvelteKit's adapter-node reads these when its handler is loaded
    process.env.ORIGIN ??= config.publicUrl;
    process.env.API_INTERNAL_URL ??= `http://127.0.0.1:${config.port}`;
    // forms carry bug attachments (multipart, raw bytes): the attachment limit plus room for fields
    process.env.BODY_SIZE_LIMIT ??= String(Math.max(1024 * 1024, config.attachmentMaxBytes + 1024 * 1024));
    handler = (await importEsm(pathToFileURL(file).href)).handler;
  }
  app.use((req: Request, res: Response, next: NextFunction) =>
    API_PATH.test(req.url) ? next() : handler(req, res, next),
  );
}

/** /admin/queues: the BullMQ dashboard, for site admins only. */
function mountQueueDashboard(app: NestExpressApplication): void {
  const adapter = new ExpressAdapter();
  adapter.setBasePath('/admin/queues');
  createBullBoard({
    queues: app
      .get(QueueRegistry)
      .all()
      .map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
  });
  const authenticator = app.get(Authenticator);
  const filter = new ProblemFilter();
  app.use('/admin/queues', (req: Request, res: Response, next: NextFunction) => {
    authenticator.authenticate(req as AuthedRequest).then(
      (actor) => {
        if (actor?.roles.includes('admin')) return next();
        if (!actor && req.method === 'GET' && req.accepts('html'))
          return res.redirect(302, `/login?next=${encodeURIComponent(req.originalUrl)}`);
        const p = filter.toProblem(
          new DomainError(
            actor ? 'forbidden' : 'unauthenticated',
            actor ? 'forbidden' : 'unauthenticated',
            'Admins only.',
          ),
          req,
        );
        res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
      },
      (err: unknown) => next(err),
    );
  });
  app.use('/admin/queues', adapter.getRouter() as RequestHandler);
}

export async function createApp(
  config: AppConfig,
  opts: { logger?: boolean; offline?: boolean } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, { offline: opts.offline }), {
    logger: opts.logger === false ? false : undefined,
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  if (opts.logger !== false) app.useLogger(app.get(PinoLogger));
  // 'loopback': the in-process web app calls us over 127.0.0.1 on behalf of visitors
  app.set('trust proxy', config.trustProxy ? true : 'loopback');
  app.disable('x-powered-by');
  // pages first: SvelteKit reads its own request bodies, so the API's parsers must not consume them
  await mountWeb(app, config);
  // (before the body parsers, so that a body they refuse is logged too)
  app.use(requestLog(app.get<Logger>(ROOT_LOGGER)));
  // Attachments arrive base64-encoded in JSON (as in Bugzilla's REST API): a larger limit there only.
  const attachmentLimit = Math.ceil(config.attachmentMaxBytes * 1.4) + 256 * 1024;
  app.use(
    [/^\/api\/v1\/bugs\/\d+\/attachments$/, /^\/rest\/bug\/[^/]+\/attachment$/],
    json({ limit: attachmentLimit, type: ['application/json', 'application/*+json'] }),
  );
  app.useBodyParser('json', { limit: config.bodyLimit, type: ['application/json', 'application/*+json'] });
  app.useBodyParser('urlencoded', { limit: config.bodyLimit, extended: false });
  app.use(cookieParser());
  app.use(nulGuard());
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    next();
  });
  const metrics = app.get(MetricsService);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!API_PATH.test(req.url)) return next();
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      end(labels);
      metrics.httpTotal.inc(labels);
    });
    next();
  });
  app.useGlobalPipes(createValidationPipe());
  mountQueueDashboard(app);
  app.enableShutdownHooks();
  const document = buildOpenApi(app);
  app.use('/api/openapi.json', (_req: Request, res: Response) => res.json(document));
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'OpenCloudOS Hub API',
  });
  await app.init();
  return app;
}

export const WEB_BUILD_DIR = join(__dirname, '../../web/build');
