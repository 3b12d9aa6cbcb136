import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request, Response } from 'express';
import { Strategy as LocalStrategyBase } from 'passport-local';
import { Strategy as OAuth2StrategyBase, StateStore } from 'passport-oauth2';
import { requestMeta } from '../../common/actor';
import { hmacHex, randomToken, safeEqual } from '../../common/crypto';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { AuthService } from './auth.service';
import { GiteeAccountService, GiteeProfile } from './gitee.service';

/** passport-local: `login` is a username or an e-mail address. */
@Injectable()
export class LocalStrategy extends PassportStrategy(LocalStrategyBase, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'login', passwordField: 'password', passReqToCallback: true, session: false });
  }

  validate(req: Request, login: string, password: string) {
    return this.auth.validateCredentials(login, password, requestMeta(req));
  }
}

const STATE_COOKIE = 'och_oauth_state';

/**
 * OAuth `state` without a server-side session: a random value in a short-lived, HMAC-signed,
 * httpOnly cookie that the callback must echo.
 */
class CookieStateStore {
  constructor(
    private readonly secret: string,
    private readonly secure: boolean,
  ) {}

  store(req: Request, callback: (err: Error | null, state?: string) => void): void {
    const state = randomToken(24);
    const res = (req as Request & { res: Response }).res;
    res.cookie(STATE_COOKIE, `${state}.${hmacHex(this.secret, state)}`, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      path: '/api/v1/auth/gitee',
      maxAge: 10 * 60 * 1000,
    });
    callback(null, state);
  }

  verify(
    req: Request,
    provided: string,
    callback: (err: Error | null, ok: boolean, info?: { message: string }) => void,
  ): void {
    const raw = (req.cookies as Record<string, string> | undefined)?.[STATE_COOKIE] ?? '';
    const [state, mac] = raw.split('.');
    const ok =
      !!state &&
      !!mac &&
      typeof provided === 'string' &&
      safeEqual(mac, hmacHex(this.secret, state)) &&
      safeEqual(state, provided);
    (req as Request & { res: Response }).res.clearCookie(STATE_COOKIE, { path: '/api/v1/auth/gitee' });
    callback(null, ok, ok ? undefined : { message: 'Invalid OAuth state.' });
  }
}

/** Gitee OAuth2: authorize at /oauth/authorize, token at /oauth/token, user at /api/v5/user. */
@Injectable()
export class GiteeStrategy extends PassportStrategy(OAuth2StrategyBase, 'gitee') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly gitee: GiteeAccountService,
  ) {
    super({
      authorizationURL: `${config.giteeBaseUrl}/oauth/authorize`,
      tokenURL: `${config.giteeBaseUrl}/oauth/token`,
      clientID: config.giteeClientId || 'disabled',
      clientSecret: config.giteeClientSecret || 'disabled',
      callbackURL: `${config.publicUrl}/api/v1/auth/gitee/callback`,
      scope: 'user_info emails',
      // passport-oauth2 picks the overload by arity: store(req, cb) and verify(req, state, cb)
      store: new CookieStateStore(config.sessionSecret, config.publicUrl.startsWith('https:')) as unknown as StateStore,
    });
  }

  override userProfile(accessToken: string, done: (err?: unknown, profile?: GiteeProfile) => void): void {
    this.gitee.fetchProfile(accessToken).then(
      (p) => done(null, p),
      (err: unknown) => done(err),
    );
  }

  validate(_accessToken: string, _refreshToken: string, profile: GiteeProfile): GiteeProfile {
    return profile;
  }
}
