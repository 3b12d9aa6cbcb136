import { Injectable } from '@nestjs/common';
import type { Actor, AuthedRequest } from '../../common/actor';
import { unauthenticated } from '../../common/errors';
import { TokensService } from '../tokens/tokens.service';
import { RoleResolver } from '../users/role-providers';
import type { UserEntity } from '../users/user.entity';
import { SESSION_COOKIE, SessionService } from './session.service';

/**
 * Finds who is calling: an `Authorization: Bearer` token (also Bugzilla's `X-BUGZILLA-API-KEY`
 * header) or the session cookie. A bad token is an error, not an anonymous request, so scripts
 * notice a revoked token instead of silently seeing less.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly sessions: SessionService,
    private readonly tokens: TokensService,
    private readonly roles: RoleResolver,
  ) {}

  async authenticate(req: AuthedRequest): Promise<Actor | null> {
    if (req.actor !== undefined) return req.actor;
    req.actor = null;
    req.authMethod = null;
    const bearer = this.bearerToken(req);
    if (bearer !== null) {
      const user = await this.tokens.resolve(bearer);
      if (!user) throw unauthenticated('The API token is invalid, expired or revoked.');
      req.actor = await this.toActor(user);
      req.authMethod = 'token';
      req.authUser = user;
      return req.actor;
    }
    const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (cookie) {
      const found = await this.sessions.resolve(cookie);
      if (found) {
        req.actor = await this.toActor(found.user);
        req.authMethod = 'session';
        req.authSession = found.session;
        req.authUser = found.user;
      }
    }
    return req.actor;
  }

  private bearerToken(req: AuthedRequest): string | null {
    const header = req.headers.authorization;
    if (typeof header === 'string' && header.length > 0) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw unauthenticated('Authorization header must be "Bearer <token>".');
      return m[1];
    }
    const key = req.headers['x-bugzilla-api-key'];
    if (typeof key === 'string' && key.length > 0) return key;
    return null;
  }

  async toActor(user: UserEntity): Promise<Actor> {
    return { id: user.id, username: user.username, email: user.email, roles: await this.roles.rolesFor(user.id) };
  }
}
