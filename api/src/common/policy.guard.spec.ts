import type { ExecutionContext } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { Reflector } from '@nestjs/core';
import { loadConfig } from '../config/config';
import type { Authenticator } from '../modules/auth/authenticator.service';
import type { Actor, AuthedRequest } from './actor';
import { DomainError } from './errors';
import { Authenticated, Check, Public, RequireRole, type PolicyHandler } from './policy';
import { PolicyGuard } from './policy.guard';

/** A mock whose every unstubbed call fails the test. */
function strict<T extends object>(stubs: Partial<T>): T {
  return new Proxy(stubs, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof T];
      if (prop === 'then') return undefined;
      throw new Error(`unexpected call: ${String(prop)}`);
    },
  }) as T;
}

const alice: Actor = { id: 1, username: 'alice', email: 'a@example.test', roles: ['sig:kernel:lead'] };

class OnlyAlice implements PolicyHandler {
  can(actor: Actor | null) {
    return actor?.username === 'alice';
  }
}

class Routes {
  @Public() open() {}
  @Authenticated() mine() {}
  @RequireRole('admin', 'sig:kernel:lead') lead() {}
  @Check(OnlyAlice) custom() {}
  undeclared() {}
}

function contextFor(handler: keyof Routes, req: Partial<AuthedRequest>): ExecutionContext {
  return strict<ExecutionContext>({
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => strict({ getRequest: () => req }) as ReturnType<ExecutionContext['switchToHttp']>,
  } as Partial<ExecutionContext>);
}

function guardWith(actor: Actor | null, authMethod: AuthedRequest['authMethod'] = actor ? 'token' : null) {
  const authenticator = strict<Authenticator>({
    authenticate: jest.fn((req: AuthedRequest) => {
      req.actor = actor;
      req.authMethod = authMethod;
      return Promise.resolve(actor);
    }),
  });
  const moduleRef = strict<ModuleRef>({ get: jest.fn(() => new OnlyAlice()) as unknown as ModuleRef['get'] });
  return new PolicyGuard(new Reflector(), moduleRef, authenticator, loadConfig({ PUBLIC_URL: 'https://hub.example' }));
}

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'allowed';
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
};

describe('PolicyGuard (unit, strict mocks)', () => {
  it.each([
    ['open', 'a visitor', 'allowed', null],
    ['open', 'the kernel lead', 'allowed', alice],
    ['mine', 'a visitor', 'unauthenticated', null],
    ['mine', 'the kernel lead', 'allowed', alice],
    ['lead', 'a visitor', 'unauthenticated', null],
    ['lead', 'a user without roles', 'forbidden', { ...alice, roles: [] }],
    ['lead', 'the kernel lead', 'allowed', alice],
    ['custom', 'a visitor', 'unauthenticated', null],
    ['custom', 'someone who is not alice', 'forbidden', { ...alice, username: 'bob' }],
    ['custom', 'the kernel lead', 'allowed', alice],
    ['undeclared', 'the kernel lead', 'no_policy', alice],
  ] as Array<[keyof Routes, string, string, Actor | null]>)(
    'route %s called by %s → %s',
    async (handler, _who, expected, actor) => {
      const guard = guardWith(actor);
      expect(await codeOf(guard.canActivate(contextFor(handler, { method: 'GET', headers: {} })))).toBe(expected);
    },
  );

  it('refuses a cross-site POST without a session and allows a same-origin one', async () => {
    const guard = guardWith(null);
    const foreign = contextFor('open', { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(await codeOf(guard.canActivate(foreign))).toBe('csrf_failed');
    const same = contextFor('open', { method: 'POST', headers: { origin: 'https://hub.example' } });
    expect(await codeOf(guard.canActivate(same))).toBe('allowed');
  });
});
