import type { Request } from 'express';
import type { SessionEntity } from '../modules/auth/session.entity';
import type { UserEntity } from '../modules/users/user.entity';

/** Who is making a request, with every role they hold site-wide or through memberships. */
export interface Actor {
  id: number;
  username: string;
  email: string;
  roles: string[];
}

export type AuthMethod = 'session' | 'token';

export interface AuthedRequest extends Request {
  actor?: Actor | null;
  authMethod?: AuthMethod | null;
  authSession?: SessionEntity | null;
  /** The caller's user row as loaded while authenticating (saves a second read). */
  authUser?: UserEntity | null;
  requestId?: string;
}

/** What services need to know about where a request came from (for the audit log). */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export function requestMeta(req: Request): RequestMeta {
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null };
}

export const hasRole = (actor: Actor | null | undefined, role: string): boolean =>
  !!actor && actor.roles.includes(role);
