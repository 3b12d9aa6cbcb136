import { Injectable, NestMiddleware } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { NextFunction, Response } from 'express';
import { type AuthedRequest, requestMeta } from '../../common/actor';
import { Authenticator } from '../auth/authenticator.service';
import { AuthService } from '../auth/auth.service';
import { TokensService } from '../tokens/tokens.service';
import type { UserEntity } from '../users/user.entity';
import { BugzillaError, sendBugzillaError, toBugzillaError } from './bugzilla-errors';
import { one, type Params } from './bugzilla-params';
import { BugzillaRepository, LOGIN_TOKEN_NAME } from './bugzilla.repository';

export interface BugzillaRequest extends AuthedRequest {
  /** Set when the caller authenticated with a /rest/login token, so /rest/logout can revoke it. */
  bugzillaLoginTokenId?: number;
}

/** Paths that must work with a stale token in the client's cache (it sends it even to /login). */
const TOKEN_LENIENT = /^\/rest\/(version|login|logout|valid_login|extensions|timezone)\/?$/;
const NO_CREDENTIALS = /^\/rest\/login\/?$/;

/**
 * Who is calling /rest, in Bugzilla's ways: `Bugzilla_api_key`/`api_key` (query),
 * `X-BUGZILLA-API-KEY` or `Authorization: Bearer` (header), `Bugzilla_token`/`token` from
 * /rest/login, or `Bugzilla_login` + `Bugzilla_password`. API keys are our personal API tokens.
 *
 * The session cookie is never consulted: setting `req.actor` here means the PolicyGuard takes it
 * as is, so a browser's cookies cannot be ridden cross-site into /rest (no CSRF surface).
 */
@Injectable()
export class BugzillaAuthMiddleware implements NestMiddleware {
  constructor(
    private readonly tokens: TokensService,
    private readonly authenticator: Authenticator,
    private readonly repo: BugzillaRepository,
    private readonly moduleRef: ModuleRef,
  ) {}

  use(req: BugzillaRequest, res: Response, next: NextFunction): void {
    this.resolve(req).then(
      () => next(),
      (e: unknown) => {
        const err = toBugzillaError(e);
        if (err) sendBugzillaError(res, err);
        else next(e);
      },
    );
  }

  private async resolve(req: BugzillaRequest): Promise<void> {
    req.actor = null;
    req.authMethod = null;
    const path = req.originalUrl.split('?')[0];
    if (NO_CREDENTIALS.test(path)) return;
    const q = req.query as Params;
    const header = req.headers['x-bugzilla-api-key'];
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const key = one(q, 'Bugzilla_api_key', 'api_key') ?? (typeof header === 'string' ? header : bearer);
    if (key !== undefined) {
      const user = await this.tokens.resolve(key);
      if (!user)
        throw new BugzillaError(306, 'The API key you specified is invalid. Please check that you typed it correctly.');
      return this.become(req, user);
    }
    const token = one(q, 'Bugzilla_token', 'token');
    if (token !== undefined) {
      const user = await this.tokens.resolve(token);
      if (!user) {
        if (TOKEN_LENIENT.test(path)) return;
        throw new BugzillaError(32000, 'The token you specified is invalid or has expired. Log in again.');
      }
      const row = await this.repo.tokenBySecret(token);
      if (row?.name === LOGIN_TOKEN_NAME) req.bugzillaLoginTokenId = row.id;
      return this.become(req, user);
    }
    const login = one(q, 'Bugzilla_login');
    const password = one(q, 'Bugzilla_password');
    if (login !== undefined && password !== undefined) {
      const auth = this.moduleRef.get(AuthService, { strict: false });
      return this.become(req, await auth.validateCredentials(login, password, requestMeta(req)));
    }
  }

  private async become(req: BugzillaRequest, user: UserEntity): Promise<void> {
    req.actor = await this.authenticator.toActor(user);
    req.authMethod = 'token';
    req.authUser = user;
  }
}
