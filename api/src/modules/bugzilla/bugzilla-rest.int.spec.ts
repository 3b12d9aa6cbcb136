import { fileBug, makeBugProducts } from '../../testing/bugs';
import { login, Login, makeUser, MadeUser } from '../../testing/factories';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';

describe('Bugzilla 5 REST API', () => {
  let t: TestApp;
  let lead: MadeUser;
  let reporter: MadeUser;
  let stranger: MadeUser;
  let sLead: Login;
  let sReporter: Login;
  let pkg: string;
  let leadKey: string;
  let strangerKey: string;
  let bugId: number;
  let privateId: number;

  const key = async (who: Login): Promise<string> =>
    ((await as(t.baseUrl, who, 'post', '/api/v1/me/tokens', { name: 'bz' }).expect(201)).body as { token: string })
      .token;

  beforeAll(async () => {
    t = await startTestApp();
    [lead, reporter, stranger] = await Promise.all([makeUser(t.ds), makeUser(t.ds), makeUser(t.ds)]);
    const sig = await makeSig(t.ds, { members: [[lead.user.id, 'lead']] });
    await t.ds.query(`UPDATE sigs SET bug_default_assignee_id = $1 WHERE id = $2`, [lead.user.id, sig.id]);
    pkg = (await makePackage(t.ds, sig.id)).name;
    await makeBugProducts(t.ds);
    let sStranger: Login;
    [sLead, sReporter, sStranger] = await Promise.all(
      [lead, reporter, stranger].map((u) => login(t.baseUrl, u.user.username)),
    );
    leadKey = await key(sLead);
    strangerKey = await key(sStranger);
    bugId = await fileBug(t.baseUrl, sReporter, {
      component: pkg,
      summary: 'wifi drops after suspend',
      aliases: ['wifi-drop'],
    });
    privateId = await fileBug(t.baseUrl, sReporter, { component: pkg, summary: 'hidden hole', isPrivate: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers /rest/version and /rest/extensions', async () => {
    expect((await t.http().get('/rest/version').set('content-type', 'application/json').expect(200)).body).toEqual({
      version: '5.0.4',
    });
    expect((await t.http().get('/rest/extensions').expect(200)).body).toEqual({ extensions: {} });
  });

  it('shows a bug in Bugzilla 5 shape, with e-mails only for logged-in callers', async () => {
    const res = await t.http().get(`/rest/bug/${bugId}`).query({ Bugzilla_api_key: leadKey }).expect(200);
    const bug = res.body.bugs[0];
    expect(bug).toMatchObject({
      id: bugId,
      alias: ['wifi-drop'],
      summary: 'wifi drops after suspend',
      status: 'UNCONFIRMED',
      resolution: '',
      is_open: true,
      product: 'OpenCloudOS',
      component: pkg,
      version: '9.2',
      assigned_to: lead.user.email,
      assigned_to_detail: { id: lead.user.id, name: lead.user.email, email: lead.user.email },
      creator: reporter.user.email,
      groups: [],
      dupe_of: null,
      target_milestone: '---',
      classification: 'Unclassified',
    });
    expect(bug.creation_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(res.body.faults).toEqual([]);
    const anon = (await t.http().get('/rest/bug/wifi-drop').expect(200)).body.bugs[0];
    expect(anon.assigned_to).toBe(lead.user.username);
    expect(JSON.stringify(anon)).not.toContain('@example.test');
  });

  it('applies include_fields and exclude_fields, always keeping id', async () => {
    const inc = await t
      .http()
      .get(`/rest/bug?id=${bugId}&include_fields=summary&include_fields=assigned_to_detail.real_name`);
    expect(inc.body.bugs).toEqual([
      { id: bugId, summary: 'wifi drops after suspend', assigned_to_detail: { real_name: lead.user.username } },
    ]);
    const exc = await t.http().get(`/rest/bug?id=${bugId}&exclude_fields=cc_detail,flags`);
    expect(exc.body.bugs[0]).not.toHaveProperty('cc_detail');
    expect(exc.body.bugs[0]).toHaveProperty('summary');
    const withComments = await t.http().get(`/rest/bug?id=${bugId}&include_fields=_default&include_fields=comments`);
    expect(withComments.body.bugs[0].comments[0]).toMatchObject({ count: 0, text: 'Steps to reproduce: boot.' });
  });

  it('searches with Bugzilla parameters and keeps private bugs out for others', async () => {
    const q = { product: 'OpenCloudOS', component: pkg, bug_status: ['UNCONFIRMED', 'NEW'] };
    const anon = await t.http().get('/rest/bug').query(q).expect(200);
    expect(anon.body.bugs.map((b: { id: number }) => b.id)).toEqual([bugId]);
    const mine = await t
      .http()
      .get('/rest/bug')
      .query({ ...q, Bugzilla_api_key: strangerKey })
      .expect(200);
    expect(mine.body.bugs.map((b: { id: number }) => b.id)).not.toContain(privateId);
    const bySummary = await t.http().get('/rest/bug').query({ short_desc: 'drops after', limit: 1 }).expect(200);
    expect(bySummary.body.bugs.map((b: { id: number }) => b.id)).toEqual([bugId]);
    const quick = await t.http().get('/rest/bug').query({ quicksearch: 'wifi' }).expect(200);
    expect(quick.body.bugs.map((b: { id: number }) => b.id)).toContain(bugId);
    const err = await t.http().get('/rest/bug').query({ f1: 'cf_x' }).expect(400);
    expect(err.body).toMatchObject({ error: true, code: 108 });
  });

  it('answers an unknown bug and a private bug alike: 101 with 404', async () => {
    const missing = await t.http().get('/rest/bug/999999').expect(404);
    const hidden = await t.http().get(`/rest/bug/${privateId}`).query({ api_key: strangerKey }).expect(404);
    expect(missing.body).toMatchObject({ error: true, code: 101 });
    expect(hidden.body).toEqual({ ...missing.body, message: `Bug #${privateId} does not exist.` });
    // python-bugzilla prints only the status line, so the message rides in its reason phrase
    expect((missing as unknown as { res: { statusMessage: string } }).res.statusMessage).toBe(
      'Bug #999999 does not exist.',
    );
    await t.http().get(`/rest/bug/${privateId}/comment`).query({ api_key: strangerKey }).expect(404);
    await t.http().get(`/rest/bug/${privateId}/history`).expect(404);
    await t.http().get(`/rest/bug/${privateId}`).set('x-bugzilla-api-key', strangerKey).expect(404);
    // the assignee sees it
    await t.http().get(`/rest/bug/${privateId}`).set('x-bugzilla-api-key', leadKey).expect(200);
  });

  it('rejects a bad API key with 306 and a stale token with 32000, except where logging in', async () => {
    const bad = await t.http().get('/rest/bug/1').query({ Bugzilla_api_key: 'och_nope' }).expect(400);
    expect(bad.body).toMatchObject({ error: true, code: 306 });
    const stale = await t.http().get('/rest/bug').query({ Bugzilla_token: 'stale' }).expect(400);
    expect(stale.body).toMatchObject({ error: true, code: 32000 });
    await t.http().get('/rest/version').query({ Bugzilla_token: 'stale' }).expect(200);
  });

  it('logs in for a token, uses it, and revokes it on logout', async () => {
    const bad = await t.http().get('/rest/login').query({ login: reporter.user.email, password: 'nope' }).expect(401);
    expect(bad.body).toMatchObject({ error: true, code: 300 });
    const res = await t
      .http()
      .get('/rest/login')
      .query({ login: reporter.user.email, password: reporter.password, Bugzilla_token: 'old' })
      .expect(200);
    expect(res.body).toEqual({ id: reporter.user.id, token: expect.any(String) });
    const token = res.body.token as string;
    const who = await t.http().get('/rest/whoami').query({ Bugzilla_token: token }).expect(200);
    expect(who.body).toEqual({
      id: reporter.user.id,
      name: reporter.user.email,
      login: reporter.user.email,
      real_name: reporter.user.username,
    });
    expect(
      (await t.http().get('/rest/valid_login').query({ login: reporter.user.email, token }).expect(200)).body,
    ).toEqual({ result: true });
    expect((await t.http().get('/rest/logout').query({ Bugzilla_token: token }).expect(200)).body).toEqual({});
    await t.http().get('/rest/whoami').query({ Bugzilla_token: token }).expect(400);
    await t.http().get('/rest/whoami').expect(401);
    const viaPassword = await t
      .http()
      .get('/rest/whoami')
      .query({ Bugzilla_login: reporter.user.username, Bugzilla_password: reporter.password })
      .expect(200);
    expect(viaPassword.body.id).toBe(reporter.user.id);
  });

  it('ignores the session cookie under /rest', async () => {
    await t.http().get('/rest/whoami').set('cookie', sLead.cookie).expect(401);
    const res = await t
      .http()
      .post('/rest/bug')
      .set('cookie', sLead.cookie)
      .set('x-csrf-token', sLead.csrf)
      .send({ product: 'OpenCloudOS', component: pkg, version: '9.2', summary: 's', description: 'd' })
      .expect(401);
    expect(res.body.code).toBe(410);
  });

  it('creates, comments on and changes a bug, reporting the changes', async () => {
    const created = await t
      .http()
      .post('/rest/bug')
      .query({ Bugzilla_api_key: leadKey })
      .send({
        product: 'OpenCloudOS',
        component: pkg,
        version: '9.2',
        summary: 'made over REST',
        description: 'first words',
        severity: 'major',
        blocks: [String(bugId)],
        cc: [reporter.user.email],
      })
      .expect(201); // as Bugzilla 5: POST answers 201 Created
    const id = created.body.id as number;
    expect(created.body).toEqual({ id });
    const comment = await t
      .http()
      .post(`/rest/bug/${id}/comment`)
      .query({ Bugzilla_api_key: leadKey })
      .send({ comment: 'more words' })
      .expect(201);
    expect(comment.body).toEqual({ id: expect.any(Number) });
    const put = await t
      .http()
      .put(`/rest/bug/${id}`)
      .query({ Bugzilla_api_key: leadKey })
      .send({
        ids: [String(id)],
        status: 'CLOSED',
        resolution: 'FIXED',
        assigned_to: stranger.user.username,
        cc: { remove: [reporter.user.email] },
        keywords: { add: ['regression'] },
        comment: { body: 'fixed it' },
      })
      .expect(200);
    expect(put.body.bugs[0]).toMatchObject({
      id,
      alias: [],
      changes: {
        status: { removed: 'CONFIRMED', added: 'RESOLVED' },
        resolution: { removed: '', added: 'FIXED' },
        assigned_to: { removed: lead.user.email, added: stranger.user.email },
        cc: { removed: reporter.user.email, added: '' },
        keywords: { removed: '', added: 'regression' },
      },
    });
    const comments = await t.http().get(`/rest/bug/${id}/comment`).expect(200);
    expect(comments.body.comments).toEqual({});
    expect(comments.body.bugs[String(id)].comments.map((c: { text: string }) => c.text)).toEqual([
      'first words',
      'more words',
      'fixed it',
    ]);
    const cid = comments.body.bugs[String(id)].comments[1].id as number;
    const one = await t.http().get(`/rest/bug/comment/${cid}`).expect(200);
    expect(one.body).toMatchObject({ bugs: {}, comments: { [String(cid)]: { bug_id: id, count: 1 } } });
    const history = await t.http().get(`/rest/bug/${id}/history`).query({ api_key: leadKey }).expect(200);
    const entry = history.body.bugs[0].history[0];
    expect(entry.who).toBe(lead.user.email);
    expect(entry.changes).toEqual(
      expect.arrayContaining([{ field_name: 'status', removed: 'CONFIRMED', added: 'RESOLVED' }]),
    );
  });

  it('refuses a stranger changing the status with 115, and bad values with 104/52', async () => {
    const res = await t
      .http()
      .put(`/rest/bug/${bugId}`)
      .query({ Bugzilla_api_key: strangerKey })
      .send({ status: 'RESOLVED', resolution: 'FIXED' })
      .expect(401);
    expect(res.body).toMatchObject({ error: true, code: 115 });
    const bad = await t
      .http()
      .put(`/rest/bug/${bugId}`)
      .query({ Bugzilla_api_key: leadKey })
      .send({ severity: 'apocalyptic' })
      .expect(400);
    expect(bad.body.code).toBe(104);
    const badId = await t
      .http()
      .put(`/rest/bug/${bugId}`)
      .query({ api_key: leadKey })
      .send({ dupe_of: 'x' })
      .expect(400);
    expect(badId.body.code).toBe(52);
    const unknownField = await t.http().put(`/rest/bug/${bugId}`).query({ api_key: leadKey }).send({ cf_foo: 1 });
    expect(unknownField.body.code).toBe(108);
    const anon = await t
      .http()
      .put(`/rest/bug/${bugId}`)
      .send({ comment: { body: 'x' } })
      .expect(401);
    expect(anon.body.code).toBe(410);
    const noUser = await t
      .http()
      .put(`/rest/bug/${bugId}`)
      .query({ api_key: leadKey })
      .send({ assigned_to: 'nobody@x' });
    expect(noUser.body).toMatchObject({ code: 51 });
  });

  it('attaches files and returns them base64-encoded', async () => {
    const created = await t
      .http()
      .post(`/rest/bug/${bugId}/attachment`)
      .query({ Bugzilla_api_key: leadKey })
      .send({
        ids: [String(bugId)],
        data: Buffer.from('hello\n').toString('base64'),
        file_name: 'a.txt',
        summary: 'greeting',
        content_type: 'text/plain',
      })
      .expect(201);
    const aid = created.body.ids[0] as number;
    const one = await t.http().get(`/rest/bug/attachment/${aid}`).expect(200);
    expect(one.body.attachments[String(aid)]).toMatchObject({
      id: aid,
      bug_id: bugId,
      file_name: 'a.txt',
      data: 'aGVsbG8K',
    });
    const list = await t.http().get(`/rest/bug/${bugId}/attachment?exclude_fields=data`).expect(200);
    expect(list.body.bugs[String(bugId)][0]).not.toHaveProperty('data');
    await t.http().get('/rest/bug/attachment/999999').expect(404);
  });

  it('lists products with components, versions and default assignees', async () => {
    const ids = await t.http().get('/rest/product_accessible').expect(200);
    expect(ids.body.ids.length).toBeGreaterThanOrEqual(3);
    const res = await t
      .http()
      .get('/rest/product/get')
      .query({ names: 'OpenCloudOS', include_fields: ['name', 'components.name', 'components.default_assigned_to'] })
      .expect(200);
    const p = res.body.products[0];
    expect(Object.keys(p).sort()).toEqual(['components', 'id', 'name']);
    expect(p.components).toEqual(expect.arrayContaining([{ name: pkg, default_assigned_to: lead.user.username }]));
    const typed = await t.http().get('/rest/product').query({ type: 'enterable', include_fields: 'name' }).expect(200);
    expect(typed.body.products.map((x: { name: string }) => x.name)).toContain('OpenCloudOS SIG');
    const byName = await t.http().get('/rest/product/OpenCloudOS SIG').expect(200);
    expect(byName.body.products[0]).toMatchObject({ versions: [{ name: 'unspecified' }], milestones: [] });
    await t.http().get('/rest/product/Nope').expect(401);
  });

  it('describes bug fields with legal values and transitions', async () => {
    const res = await t.http().get('/rest/field/bug').expect(200);
    const status = res.body.fields.find((f: { name: string }) => f.name === 'bug_status');
    expect(status.values.find((v: { name: string }) => v.name === 'CONFIRMED').can_change_to).toEqual(
      expect.arrayContaining([{ name: 'RESOLVED', comment_required: false }]),
    );
    const names = await t.http().get('/rest/field/bug?include_fields=name').expect(200);
    expect(names.body.fields).toContainEqual({ name: 'bug_severity' });
    const one = await t.http().get('/rest/field/bug/priority').expect(200);
    expect(one.body.fields[0].values.map((v: { name: string }) => v.name)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
  });

  it('looks up users, with ids and match for logged-in callers only', async () => {
    const ok = await t.http().get('/rest/user').query({ ids: 1, Bugzilla_api_key: leadKey }).expect(200);
    expect(ok.body).toHaveProperty('users');
    const anon = await t.http().get('/rest/user').query({ ids: 1 }).expect(401);
    expect(anon.body.code).toBe(505);
    const byName = await t.http().get('/rest/user').query({ names: reporter.user.username }).expect(200);
    expect(byName.body.users[0]).toEqual({
      id: reporter.user.id,
      name: reporter.user.username,
      real_name: reporter.user.username,
      can_login: true,
      email_enabled: true,
      login_denied_text: '',
    });
    // visitors cannot probe e-mail addresses
    await t.http().get('/rest/user').query({ names: reporter.user.email }).expect(404);
    const match = await t
      .http()
      .get('/rest/user')
      .query({ match: reporter.user.username, api_key: leadKey })
      .expect(200);
    expect(match.body.users[0].email).toBe(reporter.user.email);
  });

  it('answers unknown resources with 32614', async () => {
    const res = await t.http().get('/rest/nothing/here').expect(404);
    expect(res.body).toMatchObject({ error: true, code: 32614 });
  });
});
