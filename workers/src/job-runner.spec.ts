import type { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { JOB_NAMES } from '@och/api';
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

/** One stand-in handler for every other job, so adding a job does not break these tests. */
const OTHERS = JOB_NAMES.filter(
  (n) => !['mail.send', 'maintenance.purge-expired', 'sigs.expiry-reminders'].includes(n),
).map((name) => {
  class Other {
    handle = jest.fn();
  }
  JobHandler(name)(Other);
  return Other;
});

/** A strict stand-in for Nest's DiscoveryService: only getProviders exists. */
function discoveryOf(...classes: Array<new () => object>): DiscoveryService {
  const wrappers = classes.map((c) => ({ metatype: c, instance: new c() }) as unknown as InstanceWrapper);
  return { getProviders: () => wrappers } as unknown as DiscoveryService;
}

describe('job handler registry', () => {
  it('maps every job name to its one handler', () => {
    const map = collectHandlers(discoveryOf(MailA, Purge, Expiry, NotAJob, ...OTHERS));
    expect([...map.keys()].sort()).toEqual([...JOB_NAMES].sort());
    expect(map.get('mail.send')).toBeInstanceOf(MailA);
  });

  it('refuses to start when a job has no handler', () => {
    expect(() => collectHandlers(discoveryOf(MailA, Expiry, ...OTHERS))).toThrow(
      'job "maintenance.purge-expired" has no handler',
    );
  });

  it('refuses to start when a job has two handlers', () => {
    expect(() => collectHandlers(discoveryOf(MailA, MailB, Purge, Expiry, ...OTHERS))).toThrow(
      'job "mail.send" has two handlers',
    );
  });
});
