import { Injectable } from '@nestjs/common';
import { GovLifecycleService } from '@och/api';
import { type Handler, JobHandler } from '../job-handler';
import type { JobPayloads } from '@och/api';

/** A scheduled opening: opens the vote if it is still due (an officer may have opened or withdrawn it). */
@Injectable()
@JobHandler('governance.open')
export class GovernanceOpenJob implements Handler<'governance.open'> {
  constructor(private readonly lifecycle: GovLifecycleService) {}

  async handle(payload: JobPayloads['governance.open']): Promise<{ opened: boolean }> {
    return { opened: await this.lifecycle.openIfDue(payload.proposalId) };
  }
}

/** The close at the deadline: counts and publishes, unless an extension moved the deadline. */
@Injectable()
@JobHandler('governance.close')
export class GovernanceCloseJob implements Handler<'governance.close'> {
  constructor(private readonly lifecycle: GovLifecycleService) {}

  async handle(payload: JobPayloads['governance.close']): Promise<{ closed: boolean }> {
    return { closed: await this.lifecycle.close(payload.proposalId, 'deadline') };
  }
}

/** Every few minutes: overdue opens and closes, and the 24-hour reminders. */
@Injectable()
@JobHandler('governance.tick')
export class GovernanceTickJob implements Handler<'governance.tick'> {
  constructor(private readonly lifecycle: GovLifecycleService) {}

  handle(): Promise<{ opened: number; closed: number; reminded: number }> {
    return this.lifecycle.tick();
  }
}
