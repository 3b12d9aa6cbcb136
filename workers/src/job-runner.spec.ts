import type { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { collectHandlers } from './job-runner';
import { JobHandler } from './job-handler';

@JobHandler('mail.send')
class MailA {
  handle = jest.fn();
}
@JobHandler('mail.send')
class MailB {
  handle = jest.fn();
}
@JobHandler('maintenance.purge-expired')
class Purge {
  handle = jest.fn();
}
@JobHandler('sigs.expiry-reminders')
class Expiry {
  handle = jest.fn();
}
class NotAJob {}

/** A strict stand-in for Nest's DiscoveryService: only getProviders exists. */
function discoveryOf(...classes: Array<new () => object>): DiscoveryService {
  const wrappers = classes.map((c) => ({ metatype: c, instance: new c() }) as unknown as InstanceWrapper);
  return { getProviders: () => wrappers } as unknown as DiscoveryService;
}

describe('job handler registry', () => {
  it('maps every job name to its one handler', () => {
    const map = collectHandlers(discoveryOf(MailA, Purge, Expiry, NotAJob));
    expect([...map.keys()].sort()).toEqual(['mail.send', 'maintenance.purge-expired', 'sigs.expiry-reminders']);
    expect(map.get('mail.send')).toBeInstanceOf(MailA);
  });

  it('refuses to start when a job has no handler', () => {
    expect(() => collectHandlers(discoveryOf(MailA, Expiry))).toThrow('job "maintenance.purge-expired" has no handler');
  });

  it('refuses to start when a job has two handlers', () => {
    expect(() => collectHandlers(discoveryOf(MailA, MailB, Purge, Expiry))).toThrow('job "mail.send" has two handlers');
  });
});
