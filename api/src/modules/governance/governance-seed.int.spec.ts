import { seedDemo } from '../../database/seeds/demo.seed';
import { seedGovernance } from '../../database/seeds/governance.seed';
import { seedSigs } from '../../database/seeds/sigs.seed';
import { startTestApp, TestApp } from '../../testing/test-app';
import { BallotKeys } from './ballot-keys';
import { GovLifecycleService } from './gov-lifecycle.service';

describe('the demo governance seed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BALLOT_KEY: 'seed-test-ballot-key-0123456789ab' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('seats the TOC, opens a motion, leaves an election for the workers to count, once', async () => {
    await seedDemo(t.ds, 'demo-password-1');
    await seedSigs(t.ds, 'demo-password-1');
    const keys = t.app.get(BallotKeys);
    const first = await seedGovernance(t.ds, (p, u) => keys.ballotKey(p, u));
    expect(first.proposals).toBeGreaterThanOrEqual(3);
    expect(await seedGovernance(t.ds, (p, u) => keys.ballotKey(p, u))).toEqual({ proposals: 0 });

    const toc = await t.http().get('/api/v1/governance/bodies/toc').expect(200);
    expect(toc.body.members[0]).toMatchObject({ office: 'chair', user: { username: 'zhangwei' } });
    const open = await t.http().get('/api/v1/governance/proposals?status=voting').expect(200);
    const motion = open.body.items.find((p: { kind: string }) => p.kind === 'motion');
    const detail = await t.http().get(`/api/v1/governance/proposals/${motion.id}`).expect(200);
    expect(detail.body).toMatchObject({ votedCount: 3, eligibleCount: 6 });
    expect(detail.body.rollCall.map((r: { vote: string }) => r.vote)).toEqual(['yes', 'yes', 'abstain']);

    // what the workers do on their first run: the overdue election is counted
    const election = open.body.items.find((p: { kind: string }) => p.kind === 'election');
    expect(await t.app.get(GovLifecycleService).close(election.id, 'deadline')).toBe(true);
    const result = await t.http().get(`/api/v1/governance/proposals/${election.id}/result`).expect(200);
    expect(result.body.result).toMatchObject({ outcome: 'passed', winners: ['alice'], turnout: 5 });

    const sigVotes = await t.http().get('/api/v1/governance/proposals?kind=sig_create').expect(200);
    expect(sigVotes.body.items.length).toBeGreaterThanOrEqual(1);
    expect(sigVotes.body.items[0].status).toBe('discussion');
  });

  it('gives the council a member organisation, represented by zhangwei, and an application to nominate', async () => {
    await seedDemo(t.ds, 'demo-password-1'); // again: nothing is added twice
    const members = await t.http().get('/api/v1/organisations').expect(200);
    expect(members.body.items).toEqual([
      expect.objectContaining({ name: 'OpenCloudOS Demo Member Co.', representative: 'zhangwei' }),
    ]);
    const waiting = await t.ds.query(`SELECT name FROM organisations WHERE status = 'applied'`);
    expect(waiting).toEqual([{ name: 'Example Software Ltd.' }]);
  });
});
