import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { badRequest, DomainError, notFound } from '../../common/errors';
import { GiteeAccountService } from './gitee.service';

/**
 * Runs passport-local after checking the body's shape, so a malformed login gets a 400 naming the
 * field instead of passport's generic 401.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override canActivate(context: ExecutionContext) {
    const body = context.switchToHttp().getRequest<Request>().body as Record<string, unknown> | undefined;
    const errors = [];
    const allowed = new Set(['login', 'password']);
    for (const key of Object.keys(body ?? {})) {
      if (!allowed.has(key)) errors.push({ field: key, message: `property ${key} should not exist` });
    }
    if (typeof body?.login !== 'string' || body.login.length < 1 || body.login.length > 254) {
      errors.push({ field: 'login', message: 'login must be a username or e-mail (1–254 characters)' });
    }
    if (typeof body?.password !== 'string' || body.password.length < 1 || body.password.length > 1024) {
      errors.push({ field: 'password', message: 'password must be a string (1–1024 characters)' });
    }
    if (errors.length > 0) throw badRequest('validation_failed', 'The request has invalid fields.', errors);
    return super.canActivate(context);
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err instanceof Error ? err : new Error('passport-local failed');
    if (!user) throw new DomainError('unauthenticated', 'invalid_credentials', 'Wrong username/e-mail or password.');
    return user;
  }
}

/** Gitee OAuth: failures (denied consent, bad state) come back as null so the controller can redirect. */
@Injectable()
export class GiteeAuthGuard extends AuthGuard('gitee') {
  override handleRequest<T>(err: unknown, user: T): T {
    if (err instanceof DomainError) throw err;
    return (user || null) as T;
  }
}

/** Gitee login is off (404) until GITEE_CLIENT_ID and GITEE_CLIENT_SECRET are set. */
@Injectable()
export class GiteeEnabledGuard implements CanActivate {
  constructor(private readonly gitee: GiteeAccountService) {}

  canActivate(): boolean {
    if (!this.gitee.enabled) throw notFound('Gitee login');
    return true;
  }
}
