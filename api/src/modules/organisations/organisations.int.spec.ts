import { queuedMails } from '../../testing/bugs';
import { login, Login, makeUser, MadeUser } from '../../testing/factories';
import { seat } from '../../testing/governance';
import { as } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';

interface Person {
  made: MadeUser;
  login: Login;
}

const application = {
  name: '示例云计算有限公司',
  website: 'https://cloud.example.cn',
  description: 'We run OpenCloudOS on 20,000 servers and maintain the storage stack.',
  contactName: '陈经理',
  contactEmail: 'partner@cloud.example.cn',
  contactPhone: '+86 10 8888 6666',
};

describe('council membership for organisations', () => {
  let t: TestApp;
  let admin: Person;
  let chair: Person;
  let councillor: Person;
  let founderRep: Person;
  let applicant: Person;
  let stranger: Person;
  let id: number;
  let proposalId: number;
  const call = (who: Person | null, method: Parameters<typeof as>[2], path: string, body?: object) =>
    as(t.baseUrl, who?.login ?? null, method, path, body);
  const person = async (opts: Parameters<typeof makeUser>[1] = {}): Promise<Person> => {
    const made = await makeUser(t.ds, opts);
    return { made, login: await login(t.baseUrl, made.user.username) };
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await person({ roles: ['admin'] });
    chair = await person();
    councillor = await person();
    founderRep = await person();
    applicant = await person({ locale: 'zh-CN' });
    stranger = await person();
    await seat(t.ds, 'council', [
      [chair.made.user.id, 'chair'],
      [councillor.made.user.id, null],
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets an admin found the first member organisation through a council vote', async () => {
    const first = await call(founderRep, 'post', '/api/v1/organisations/applications', {
      ...application,
      name: 'Founding Member Inc.',
      website: 'https://founding.example',
    }).expect(201);
    // nobody represents a member yet: only an admin can nominate
    const refused = await call(councillor, 'post', `/api/v1/organisations/applications/${first.body.id}/nominate`, {});
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('not_a_member_representative');
    const nominated = await call(admin, 'post', `/api/v1/organisations/applications/${first.body.id}/nominate`, {
      statement: 'A founding member.',
    }).expect(200);
    expect(nominated.body).toMatchObject({ status: 'nominated', nominatedBy: admin.made.user.username });
    const pid = nominated.body.proposalId as number;
    // the vote links to its application for those who may open it, and for nobody else
    for (const who of [founderRep, councillor, admin]) {
      const seen = await call(who, 'get', `/api/v1/governance/proposals/${pid}`).expect(200);
      expect(seen.body.application).toEqual({ id: first.body.id, status: 'nominated' });
    }
    for (const who of [null, stranger]) {
      const seen = await call(who, 'get', `/api/v1/governance/proposals/${pid}`).expect(200);
      expect(seen.body).toMatchObject({ kind: 'membership', application: null });
    }
    await call(chair, 'post', `/api/v1/governance/proposals/${pid}/open`, { hours: 48 }).expect(200);
    await call(chair, 'put', `/api/v1/governance/proposals/${pid}/ballot`, { vote: 'yes' }).expect(200);
    await call(councillor, 'put', `/api/v1/governance/proposals/${pid}/ballot`, { vote: 'yes' }).expect(200);
    const members = await call(null, 'get', '/api/v1/organisations').expect(200);
    expect(members.body.items).toEqual([
      expect.objectContaining({ name: 'Founding Member Inc.', representative: founderRep.made.user.username }),
    ]);
    expect(JSON.stringify(members.body)).not.toContain(application.contactEmail);
  });

  it('takes an application with a clear 4xx for bad input, and tells the applicant and nominators', async () => {
    await call(null, 'post', '/api/v1/organisations/applications', application).expect(401);
    const bad = await call(applicant, 'post', '/api/v1/organisations/applications', {
      ...application,
      website: 'javascript:alert(1)',
      contactEmail: 'nope',
    }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['contactEmail', 'website']);
    await call(applicant, 'post', '/api/v1/organisations/applications', { ...application, status: 'member' }).expect(
      400,
    );
    const res = await call(applicant, 'post', '/api/v1/organisations/applications', application).expect(201);
    id = res.body.id;
    expect(res.body).toMatchObject({
      status: 'applied',
      applicant: applicant.made.user.username,
      contacts: { email: application.contactEmail },
      canWithdraw: true,
      canNominate: false,
    });
    const dup = await call(stranger, 'post', '/api/v1/organisations/applications', application).expect(409);
    expect(dup.body.code).toBe('organisation_exists');
    const mails = await queuedMails(t.ds, applicant.made.user.email);
    expect(mails.map((m) => m.subject)).toContain(`我们已收到 ${application.name} 的理事会成员申请`);
    expect((await queuedMails(t.ds, founderRep.made.user.email)).map((m) => m.subject)).toContain(
      `New council membership application: ${application.name}`,
    );
  });

  it('shows contact data only to the applicant, council members and admins', async () => {
    await call(stranger, 'get', `/api/v1/organisations/applications/${id}`).expect(404);
    await call(null, 'get', `/api/v1/organisations/applications/${id}`).expect(401);
    const rep = await call(founderRep, 'get', `/api/v1/organisations/applications/${id}`).expect(200);
    expect(rep.body.contacts).toBeNull();
    expect(rep.body.canNominate).toBe(true);
    expect(JSON.stringify(rep.body)).not.toContain(application.contactPhone);
    const council = await call(councillor, 'get', `/api/v1/organisations/applications/${id}`).expect(200);
    expect(council.body.contacts).toEqual({
      name: application.contactName,
      email: application.contactEmail,
      phone: application.contactPhone,
    });
    expect((await call(admin, 'get', `/api/v1/organisations/applications/${id}`)).body.contacts).not.toBeNull();
    const pending = await call(councillor, 'get', '/api/v1/organisations/me').expect(200);
    expect(pending.body.pending.map((a: { id: number }) => a.id)).toEqual([id]);
    expect((await call(stranger, 'get', '/api/v1/organisations/me')).body).toMatchObject({ pending: [], mine: [] });
  });

  it('puts a nominated application to a council vote; a passed vote makes it a member', async () => {
    await call(stranger, 'post', `/api/v1/organisations/applications/${id}/nominate`, {}).expect(404);
    // the generic proposal endpoint cannot make membership proposals
    const direct = await call(chair, 'post', '/api/v1/governance/proposals', {
      body: 'council',
      kind: 'membership',
      title: 'Sneak in',
    }).expect(400);
    expect(direct.body.code).toBe('use_membership_application');
    const res = await call(founderRep, 'post', `/api/v1/organisations/applications/${id}/nominate`, {
      statement: 'They maintain the storage stack.',
    }).expect(200);
    expect(res.body).toMatchObject({
      status: 'nominated',
      nominatingOrganisation: 'Founding Member Inc.',
      proposalStatus: 'discussion',
    });
    proposalId = res.body.proposalId;
    await call(founderRep, 'post', `/api/v1/organisations/applications/${id}/nominate`, {}).expect(409);
    await call(applicant, 'post', `/api/v1/organisations/applications/${id}/withdraw`).expect(409);
    const proposal = await call(null, 'get', `/api/v1/governance/proposals/${proposalId}`).expect(200);
    expect(proposal.body).toMatchObject({ kind: 'membership', body: 'council' });
    expect(JSON.stringify(proposal.body)).not.toContain(application.contactEmail);
    expect((await queuedMails(t.ds, applicant.made.user.email)).length).toBe(2);

    await call(chair, 'post', `/api/v1/governance/proposals/${proposalId}/open`, { hours: 48 }).expect(200);
    await call(chair, 'put', `/api/v1/governance/proposals/${proposalId}/ballot`, { vote: 'yes' }).expect(200);
    await call(councillor, 'put', `/api/v1/governance/proposals/${proposalId}/ballot`, { vote: 'yes' }).expect(200);
    const after = await call(applicant, 'get', `/api/v1/organisations/applications/${id}`).expect(200);
    expect(after.body).toMatchObject({ status: 'member', proposalStatus: 'closed' });
    const result = await call(null, 'get', `/api/v1/governance/proposals/${proposalId}/result`).expect(200);
    expect(result.body.result.applied).toEqual({ action: 'organisation.admit', ok: true });
    const members = await call(null, 'get', '/api/v1/organisations').expect(200);
    expect(members.body.items.map((o: { name: string }) => o.name)).toEqual(['Founding Member Inc.', application.name]);
    expect((await queuedMails(t.ds, applicant.made.user.email)).map((m) => m.subject)).toContain(
      `${application.name} 已成为理事会成员单位`,
    );
  });

  it('declines an application the council votes down, and lets an applicant withdraw before a nomination', async () => {
    const other = await call(stranger, 'post', '/api/v1/organisations/applications', {
      ...application,
      name: 'Declined Corp.',
    }).expect(201);
    // the new member's representative may nominate too
    const nominated = await call(
      applicant,
      'post',
      `/api/v1/organisations/applications/${other.body.id}/nominate`,
      {},
    ).expect(200);
    const pid = nominated.body.proposalId as number;
    await call(chair, 'post', `/api/v1/governance/proposals/${pid}/open`, { hours: 48 }).expect(200);
    await call(chair, 'put', `/api/v1/governance/proposals/${pid}/ballot`, { vote: 'no' }).expect(200);
    await call(councillor, 'put', `/api/v1/governance/proposals/${pid}/ballot`, { vote: 'no' }).expect(200);
    const after = await call(stranger, 'get', `/api/v1/organisations/applications/${other.body.id}`).expect(200);
    expect(after.body.status).toBe('declined');

    const third = await call(stranger, 'post', '/api/v1/organisations/applications', {
      ...application,
      name: 'Changed Its Mind Ltd.',
    }).expect(201);
    await call(applicant, 'post', `/api/v1/organisations/applications/${third.body.id}/withdraw`).expect(404);
    const gone = await call(stranger, 'post', `/api/v1/organisations/applications/${third.body.id}/withdraw`).expect(
      200,
    );
    expect(gone.body.status).toBe('withdrawn');

    // a council proposal withdrawn before its vote puts the application back up for nomination
    const fourth = await call(stranger, 'post', '/api/v1/organisations/applications', {
      ...application,
      name: 'Second Chance Ltd.',
    }).expect(201);
    const first = await call(applicant, 'post', `/api/v1/organisations/applications/${fourth.body.id}/nominate`, {});
    await call(applicant, 'post', `/api/v1/governance/proposals/${first.body.proposalId}/withdraw`).expect(200);
    const again = await call(founderRep, 'get', `/api/v1/organisations/applications/${fourth.body.id}`).expect(200);
    expect(again.body).toMatchObject({ status: 'nominated', proposalStatus: 'withdrawn', canNominate: true });
    const renominated = await call(
      founderRep,
      'post',
      `/api/v1/organisations/applications/${fourth.body.id}/nominate`,
      {},
    ).expect(200);
    expect(renominated.body.proposalId).not.toBe(first.body.proposalId);
    expect(renominated.body.proposalStatus).toBe('discussion');
  });

  it('lets admins and council officers decline an application before a nomination, saying why', async () => {
    const spamMaker = await person();
    const spam = await call(spamMaker, 'post', '/api/v1/organisations/applications', {
      ...application,
      name: 'Buy Followers Now',
      contactEmail: 'spam@followers.example',
    }).expect(201);
    const path = `/api/v1/organisations/applications/${spam.body.id}`;
    expect((await call(chair, 'get', path).expect(200)).body.canDecline).toBe(true);
    expect((await call(councillor, 'get', path).expect(200)).body.canDecline).toBe(false);

    await call(stranger, 'post', `${path}/decline`, { reason: 'Not an organisation.' }).expect(404);
    const member = await call(councillor, 'post', `${path}/decline`, { reason: 'Not an organisation.' });
    expect(member.status).toBe(403);
    expect(member.body.code).toBe('not_an_officer');
    const empty = await call(chair, 'post', `${path}/decline`, { reason: '  ' });
    expect(empty.status).toBe(400);
    await call(chair, 'post', `${path}/decline`, { reason: 'ok', extra: true }).expect(400);

    const declined = await call(chair, 'post', `${path}/decline`, { reason: 'Not an organisation.' }).expect(200);
    expect(declined.body).toMatchObject({
      status: 'declined',
      declineReason: 'Not an organisation.',
      canDecline: false,
    });
    expect((await call(spamMaker, 'get', path).expect(200)).body.declineReason).toBe('Not an organisation.');
    const mails = await queuedMails(t.ds, spamMaker.made.user.email);
    expect(mails.map((m) => m.text).join('\n')).toContain('Not an organisation.');

    // decided: neither declined again nor nominated
    expect((await call(admin, 'post', `${path}/decline`, { reason: 'Twice.' })).status).toBe(409);
    expect((await call(founderRep, 'post', `${path}/nominate`, {})).status).toBe(409);
    // and a nominated application is for the council's vote only
    const fine = await call(stranger, 'post', '/api/v1/organisations/applications', {
      ...application,
      name: 'Votes Decide Ltd.',
    }).expect(201);
    await call(founderRep, 'post', `/api/v1/organisations/applications/${fine.body.id}/nominate`, {}).expect(200);
    const late = await call(admin, 'post', `/api/v1/organisations/applications/${fine.body.id}/decline`, {
      reason: 'Too late.',
    });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('not_declinable');
  });
});
