import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Authenticator } from '../modules/auth/authenticator.service';
import type { AuthedRequest } from './actor';
import { safeEqual } from './crypto';
import { DomainError, forbidden, unauthenticated } from './errors';
import { CSRF_EXEMPT_KEY, POLICY_KEY, PolicySpec } from './policy';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Deny by default: a route is reachable only through the policy it declares. Also the CSRF gate:
 * an unsafe request riding on the session cookie must echo the session's CSRF token, and one
 * without a session (login, registration) must not come from a foreign origin.
 */
@Injectable()
export class PolicyGuard implements CanActivate {
  private readonly logger = new Logger(PolicyGuard.name);
  private readonly origin: string;

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    private readonly authenticator: Authenticator,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.origin = new URL(config.publicUrl).origin;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return false;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const spec = this.reflector.getAllAndOverride<PolicySpec | undefined>(POLICY_KEY, targets);
    if (!spec) {
      this.logger.error(`route without a policy denied: ${req.method} ${req.route?.path ?? req.path}`);
      throw forbidden('no_policy', 'This route has no access policy.');
    }
    const actor = await this.authenticator.authenticate(req);
    if (!SAFE_METHODS.has(req.method) && !this.reflector.getAllAndOverride<boolean>(CSRF_EXEMPT_KEY, targets)) {
      this.checkCsrf(req);
    }
    switch (spec.kind) {
      case 'public':
        return true;
      case 'authenticated':
        if (!actor) throw unauthenticated();
        return true;
      case 'role':
        if (!actor) throw unauthenticated();
        if (!spec.anyOf.some((r) => actor.roles.includes(r))) throw forbidden();
        return true;
      case 'handler': {
        if (spec.requireLogin && !actor) throw unauthenticated();
        const handler = this.moduleRef.get(spec.handler, { strict: false });
        if (!(await handler.can(actor, req))) throw forbidden();
        return true;
      }
    }
  }

  private checkCsrf(req: AuthedRequest): void {
    if (req.authMethod === 'token') return; // bearer tokens are not sent by browsers on their own
    if (req.authMethod === 'session' && req.authSession) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, req.authSession.csrfToken)) {
        throw new DomainError('forbidden', 'csrf_failed', 'Missing or wrong CSRF token (x-csrf-token header).');
      }
      return;
    }
    // no session: login, registration and the like. Refuse cross-site browser posts.
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if ((typeof origin === 'string' && origin !== this.origin) || site === 'cross-site') {
      throw new DomainError('forbidden', 'csrf_failed', 'Cross-site request refused.');
    }
  }
}
