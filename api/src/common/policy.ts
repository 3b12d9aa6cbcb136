import { SetMetadata, Type } from '@nestjs/common';
import type { Actor, AuthedRequest } from './actor';

/**
 * Declarative per-route authorization. The global PolicyGuard denies any route without one of
 * these, and a test walks every route to make sure each has one.
 */
export const POLICY_KEY = 'och:policy';

export interface PolicyHandler {
  /** Return true to allow. Throw a DomainError for a more specific answer (e.g. not_found). */
  can(actor: Actor | null, req: AuthedRequest): boolean | Promise<boolean>;
}

export type PolicySpec =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'role'; anyOf: string[] }
  | { kind: 'handler'; handler: Type<PolicyHandler>; requireLogin: boolean };

/** Anyone, logged in or not. */
export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(POLICY_KEY, { kind: 'public' } satisfies PolicySpec);
/** Any logged-in user (session or API token). */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  SetMetadata(POLICY_KEY, { kind: 'authenticated' } satisfies PolicySpec);
/** A logged-in user holding one of these roles (`admin`, `security`, `sig:<slug>:lead` …). */
export const RequireRole = (...anyOf: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(POLICY_KEY, { kind: 'role', anyOf } satisfies PolicySpec);
/** A resource-aware check, resolved from the DI container. */
export const Check = (handler: Type<PolicyHandler>, requireLogin = true): MethodDecorator & ClassDecorator =>
  SetMetadata(POLICY_KEY, { kind: 'handler', handler, requireLogin } satisfies PolicySpec);

/** Marks routes that may be called with cookies but without a CSRF token (none by default). */
export const CSRF_EXEMPT_KEY = 'och:csrf-exempt';
export const CsrfExempt = (): MethodDecorator & ClassDecorator => SetMetadata(CSRF_EXEMPT_KEY, true);
