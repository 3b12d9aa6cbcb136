import { login, Login, makeUser, MadeUser } from '../../testing/factories';
import { seat } from '../../testing/governance';
import { as } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { OutboxEntity } from '../../queue/outbox.entity';
import { ProgrammeService } from './programme.service';

interface Person {
  made: MadeUser;
  login: Login;
}

const application = {
  company: '深圳市小云科技有限公司',
  companySize: '50-249',
  industry: 'Manufacturing',
  currentOs: 'CentOS 7.9, CentOS 8.5',
  serverCount: 320,
  timeline: '6m',
  needs: ['assessment', 'tooling', 'training'],
  contactName: '王经理',
  contactEmail: 'it@xiaoyun.example',
  contactPhone: '+86 755 1234 5678',
  message: 'We run MySQL and an in-house Java stack.',
};

describe('the 千百双扶 migration programme', () => {
  let t: TestApp;
  let admin: Person;
  let reviewer: Person;
  let applicant: Person;
  let stranger: Person;
  let id: number;
  const call = (who: Person | null, method: Parameters<typeof as>[2], path: string, body?: object) =>
    as(t.baseUrl, who?.login ?? null, method, path, body);
  const person = async (opts: Parameters<typeof makeUser>[1] = {}): Promise<Person> => {
    const made = await makeUser(t.ds, opts);
    return { made, login: await login(t.baseUrl, made.user.username) };
  };
  const mailsTo = async (email: string) =>
    (await t.ds.getRepository(OutboxEntity).findBy({ jobName: 'mail.send' })).filter(
      (m) => (m.payload as { to: string }).to === email,
    );

  beforeAll(async () => {
    t = await startTestApp({ PROGRAMME_REVIEWER_ROLES: 'body:council:member', PROGRAMME_RETENTION_DAYS: '30' });
    admin = await person({ roles: ['admin'] });
    reviewer = await person();
    applicant = await person({ locale: 'zh-CN' });
    stranger = await person();
    await seat(t.ds, 'council', [[reviewer.made.user.id, null]]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('takes an application, confirms it to the applicant and tells the reviewers', async () => {
    await call(null, 'post', '/api/v1/programme/applications', application).expect(401);
    const bad = await call(applicant, 'post', '/api/v1/programme/applications', {
      ...application,
      companySize: 'huge',
      needs: ['magic'],
      contactEmail: 'nope',
    }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'companySize',
      'contactEmail',
      'needs',
    ]);
    await call(applicant, 'post', '/api/v1/programme/applications', { ...application, salary: 1 }).expect(400);
    const res = await call(applicant, 'post', '/api/v1/programme/applications', application).expect(201);
    id = res.body.id;
    expect(res.body).toMatchObject({
      status: 'submitted',
      company: application.company,
      needs: application.needs,
      reviewer: false,
    });
    expect(await mailsTo(applicant.made.user.email)).toHaveLength(1);
    expect(await mailsTo(reviewer.made.user.email)).toHaveLength(1);
    expect(await mailsTo(admin.made.user.email)).toHaveLength(1);
    expect(await mailsTo(stranger.made.user.email)).toHaveLength(0);
    const me = await call(applicant, 'get', '/api/v1/programme/me').expect(200);
    expect(me.body).toMatchObject({ reviewer: false, mine: [{ id, status: 'submitted' }] });
  });

  it('shows the application to its applicant and the reviewers only', async () => {
    await call(stranger, 'get', `/api/v1/programme/applications/${id}`).expect(404);
    await call(stranger, 'get', '/api/v1/programme/applications').expect(403);
    await call(stranger, 'post', `/api/v1/programme/applications/${id}/notes`, { body: 'hello' }).expect(404);
    await call(stranger, 'post', `/api/v1/programme/applications/${id}/decision`, { status: 'accepted' }).expect(404);
    await call(applicant, 'get', '/api/v1/programme/applications').expect(403);
    const list = await call(reviewer, 'get', '/api/v1/programme/applications?status=submitted').expect(200);
    expect(list.body.items.map((a: { id: number }) => a.id)).toEqual([id]);
    const seen = await call(reviewer, 'get', `/api/v1/programme/applications/${id}`).expect(200);
    expect(seen.body).toMatchObject({ contactEmail: application.contactEmail, reviewer: true });
    await call(applicant, 'get', '/api/v1/programme/applications.csv').expect(403);
    await call(reviewer, 'get', '/api/v1/programme/applications.csv').expect(403);
  });

  it('keeps internal notes from the applicant and mails messages across', async () => {
    await call(applicant, 'post', `/api/v1/programme/applications/${id}/notes`, { body: 'x', internal: true }).expect(
      403,
    );
    await call(reviewer, 'post', `/api/v1/programme/applications/${id}/notes`, {
      body: 'Large MySQL estate; assign the DB team.',
      internal: true,
    }).expect(201);
    await call(reviewer, 'post', `/api/v1/programme/applications/${id}/notes`, {
      body: 'Which CentOS 8 services do you run?',
    }).expect(201);
    const mine = await call(applicant, 'get', `/api/v1/programme/applications/${id}`).expect(200);
    expect(mine.body.notes.map((n: { body: string }) => n.body)).toEqual(['Which CentOS 8 services do you run?']);
    expect(await mailsTo(applicant.made.user.email)).toHaveLength(2);
    await call(applicant, 'post', `/api/v1/programme/applications/${id}/notes`, {
      body: 'nginx, MySQL 8 and Kafka.',
    }).expect(201);
    expect(await mailsTo(reviewer.made.user.email)).toHaveLength(2);
    const all = await call(reviewer, 'get', `/api/v1/programme/applications/${id}`).expect(200);
    expect(all.body.notes).toHaveLength(3);
  });

  it('moves through review to a decision, mailing the applicant at each step', async () => {
    await call(reviewer, 'post', `/api/v1/programme/applications/${id}/decision`, { status: 'in_review' }).expect(200);
    await call(reviewer, 'post', `/api/v1/programme/applications/${id}/decision`, { status: 'in_review' }).expect(409);
    await call(reviewer, 'post', `/api/v1/programme/applications/${id}/decision`, { status: 'withdrawn' }).expect(400);
    const done = await call(reviewer, 'post', `/api/v1/programme/applications/${id}/decision`, {
      status: 'accepted',
      message: 'Welcome aboard: a migration engineer will contact you this week.',
    }).expect(200);
    expect(done.body.status).toBe('accepted');
    expect(done.body.decidedAt).not.toBeNull();
    const mails = await mailsTo(applicant.made.user.email);
    expect(mails).toHaveLength(4);
    // the applicant reads Chinese
    expect((mails[3].payload as { subject: string }).subject).toContain('已接受');
    await call(reviewer, 'post', `/api/v1/programme/applications/${id}/decision`, { status: 'declined' }).expect(409);
    await call(applicant, 'post', `/api/v1/programme/applications/${id}/withdraw`).expect(409);
  });

  it('exports every application as CSV for admins, with formulas neutralised', async () => {
    await call(stranger, 'post', '/api/v1/programme/applications', {
      ...application,
      company: '=HYPERLINK("http://evil")',
    }).expect(201);
    const csv = await call(admin, 'get', '/api/v1/programme/applications.csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment/);
    const lines = csv.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^id,created_at,status,company,/);
    expect(lines).toHaveLength(3);
    expect(csv.text).toContain('"\'=HYPERLINK(""http://evil"")"');
    expect(csv.text).toContain(application.company);
  });

  it('lets applicants withdraw, and erases personal data after the retention period', async () => {
    const other = await call(applicant, 'post', '/api/v1/programme/applications', {
      ...application,
      company: 'Withdrawn Co',
    }).expect(201);
    await call(reviewer, 'post', `/api/v1/programme/applications/${other.body.id}/withdraw`).expect(403);
    await call(applicant, 'post', `/api/v1/programme/applications/${other.body.id}/withdraw`).expect(200);
    const service = t.app.get(ProgrammeService);
    expect(await service.purgeExpired()).toBe(0);
    await t.ds.query(`UPDATE programme_applications SET decided_at = now() - interval '31 days' WHERE id = $1`, [id]);
    expect(await service.purgeExpired()).toBe(1);
    expect(await service.purgeExpired()).toBe(0);
    const erased = await call(admin, 'get', `/api/v1/programme/applications/${id}`).expect(200);
    expect(erased.body).toMatchObject({
      company: '(erased)',
      contactEmail: '(erased)',
      contactPhone: null,
      message: '',
      notes: [],
      applicant: null,
    });
    expect(erased.body).toMatchObject({ companySize: '50-249', industry: 'Manufacturing', status: 'accepted' });
    await call(applicant, 'get', `/api/v1/programme/applications/${id}`).expect(404);
  });
});
