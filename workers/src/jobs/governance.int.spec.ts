import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GovLifecycleService } from '@och/api';
import { login, makeUser } from '../../../api/src/testing/factories';
import { seat } from '../../../api/src/testing/governance';
import { as } from '../../../api/src/testing/sigs';
import { startTestApp, TestApp } from '../../../api/src/testing/test-app';
import { JobRunner } from '../job-runner';
import { WorkerModule } from '../worker.module';

async function until<T>(what: string, probe: () => Promise<T | null>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('governance jobs: votes open and close on time through the outbox and BullMQ', () => {
  let t: TestApp;
  let workers: INestApplicationContext;

  beforeAll(async () => {
    t = await startTestApp({ BALLOT_KEY: 'worker-test-ballot-key-0123456789' });
    workers = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: false });
    await workers.get(JobRunner).start({ relayIntervalMs: 50 });
  });
  afterAll(async () => {
    await workers.close();
    await t.close();
  });

  it('opens a scheduled vote and closes it at its deadline with nobody visiting', async () => {
    const chair = await makeUser(t.ds);
    const voter = await makeUser(t.ds);
    await seat(t.ds, 'toc', [
      [chair.user.id, 'chair'],
      [voter.user.id, null],
    ]);
    const c = await login(t.baseUrl, chair.user.username);
    const v = await login(t.baseUrl, voter.user.username);
    const created = await as(t.baseUrl, c, 'post', '/api/v1/governance/proposals', {
      body: 'toc',
      kind: 'motion',
      title: 'Scheduled motion',
      rules: { minHours: 1 },
    }).expect(201);
    const id = created.body.id as number;
    const opensAt = new Date(Date.now() + 1500);
    const scheduled = await as(t.baseUrl, c, 'post', `/api/v1/governance/proposals/${id}/open`, {
      hours: 1,
      opensAt: opensAt.toISOString(),
    }).expect(200);
    expect(scheduled.body.status).toBe('discussion');
    const status = async () =>
      ((await as(t.baseUrl, null, 'get', `/api/v1/governance/proposals/${id}`).expect(200)).body as { status: string })
        .status;
    await until('the vote to open', async () => ((await status()) === 'voting' ? true : null));
    await as(t.baseUrl, v, 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'yes' }).expect(200);

    // bring the deadline close and schedule its job the way opening does
    const lifecycle = t.app.get(GovLifecycleService);
    await t.ds.transaction(async (m) => {
      await m.query(`UPDATE gov_proposals SET voting_closes_at = now() + interval '1.5 seconds' WHERE id = $1`, [id]);
      const [p] = await m.query<{ id: number; votingClosesAt: Date }[]>(
        `SELECT id, voting_closes_at AS "votingClosesAt" FROM gov_proposals WHERE id = $1`,
        [id],
      );
      await lifecycle.scheduleClose(m, p);
    });
    await until('the vote to close', async () => ((await status()) === 'closed' ? true : null));
    const result = await as(t.baseUrl, null, 'get', `/api/v1/governance/proposals/${id}/result`).expect(200);
    expect(result.body.result).toMatchObject({
      closedBecause: 'deadline',
      turnout: 1,
      electorate: 2,
      outcome: 'passed',
      tally: { yes: 1, no: 0 },
    });
    const closedAt = new Date(result.body.result.closedAt as string).getTime();
    const deadline = new Date(
      ((await as(t.baseUrl, null, 'get', `/api/v1/governance/proposals/${id}`)).body as { votingClosesAt: string })
        .votingClosesAt,
    ).getTime();
    expect(closedAt).toBeGreaterThanOrEqual(deadline);
    expect(closedAt - deadline).toBeLessThan(5000);
  });
});
