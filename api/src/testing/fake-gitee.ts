import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface FakeGiteeUser {
  id: number;
  login: string;
  name: string;
  email: string | null;
  avatar_url: string;
}

/**
 * A loopback stand-in for Gitee's OAuth2 endpoints: /oauth/authorize (consents at once for the
 * `nextUser`), /oauth/token (authorization_code grant, checks client credentials and redirect_uri)
 * and /api/v5/user, with Gitee's payload shapes.
 */
export class FakeGitee {
  readonly clientId = `fake-client-${randomBytes(3).toString('hex')}`;
  readonly clientSecret = randomBytes(16).toString('hex');
  nextUser: FakeGiteeUser = {
    id: 1001,
    login: 'gitee-dev',
    name: 'Gitee Dev',
    email: 'gitee-dev@example.test',
    avatar_url: '',
  };
  /** When set, /oauth/authorize answers like a user who clicked "deny". */
  deny = false;
  readonly requests: string[] = [];
  private codes = new Map<string, { user: FakeGiteeUser; redirectUri: string }>();
  private tokens = new Map<string, FakeGiteeUser>();
  private server: Server;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  private async body(req: IncomingMessage): Promise<URLSearchParams> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    if ((req.headers['content-type'] ?? '').includes('application/json')) {
      return new URLSearchParams(JSON.parse(raw || '{}') as Record<string, string>);
    }
    return new URLSearchParams(raw);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method} ${url.pathname}`);
    if (req.method === 'GET' && url.pathname === '/oauth/authorize') {
      const redirect = url.searchParams.get('redirect_uri') ?? '';
      const state = url.searchParams.get('state') ?? '';
      if (url.searchParams.get('client_id') !== this.clientId || url.searchParams.get('response_type') !== 'code') {
        return this.json(res, 400, { error: 'invalid_request' });
      }
      const target = new URL(redirect);
      if (this.deny) {
        target.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(12).toString('hex');
        this.codes.set(code, { user: this.nextUser, redirectUri: redirect });
        target.searchParams.set('code', code);
      }
      target.searchParams.set('state', state);
      res.writeHead(302, { location: target.toString() });
      return void res.end();
    }
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      const form = await this.body(req);
      const basic = req.headers.authorization?.startsWith('Basic ')
        ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString().split(':')
        : [];
      const clientId = form.get('client_id') ?? decodeURIComponent(basic[0] ?? '');
      const secret = form.get('client_secret') ?? decodeURIComponent(basic[1] ?? '');
      if (clientId !== this.clientId || secret !== this.clientSecret) {
        return this.json(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
      }
      const grant = this.codes.get(form.get('code') ?? '');
      if (form.get('grant_type') !== 'authorization_code' || !grant || grant.redirectUri !== form.get('redirect_uri')) {
        return this.json(res, 400, { error: 'invalid_grant', error_description: 'code invalid or expired' });
      }
      this.codes.delete(form.get('code') ?? '');
      const token = randomBytes(16).toString('hex');
      this.tokens.set(token, grant.user);
      return this.json(res, 200, {
        access_token: token,
        token_type: 'bearer',
        expires_in: 86400,
        refresh_token: randomBytes(16).toString('hex'),
        scope: 'user_info emails',
        created_at: Math.floor(Date.now() / 1000),
      });
    }
    if (req.method === 'GET' && url.pathname === '/api/v5/user') {
      const user = this.tokens.get(url.searchParams.get('access_token') ?? '');
      if (!user) return this.json(res, 401, { message: '401 Unauthorized: Access token does not exist' });
      return this.json(res, 200, {
        ...user,
        html_url: `https://gitee.com/${user.login}`,
        type: 'User',
        blog: null,
        created_at: '2020-01-01T00:00:00+08:00',
      });
    }
    this.json(res, 404, { message: 'Not Found Project' });
  }
}
