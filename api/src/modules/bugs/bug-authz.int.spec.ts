import { fileBug, makeBugProducts } from '../../testing/bugs';
import { login, Login, makeUser } from '../../testing/factories';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';

type Who =
  'visitor' | 'stranger' | 'reporter' | 'assignee' | 'sigMember' | 'otherSigLead' | 'triager' | 'security' | 'admin';
type Method = 'post' | 'patch' | 'put' | 'delete';

interface Action {
  name: string;
  /** Prepares the bug (as the SIG lead) and returns the request to try. */
  request: (bug: number, ctx: { bystander: string }) => { method: Method; path: string; body?: object; setup?: object };
  allowed: Who[];
}

/**
 * Every bug action × every kind of person. A row says who may do it; everyone else must get 401
 * (visitors) or 403. Each cell runs on a fresh bug so one cell's change cannot mask another's.
 */
const ACTIONS: Action[] = [
  {
    name: 'comment',
    request: (id) => ({ method: 'post', path: `/api/v1/bugs/${id}/comments`, body: { body: 'me too' } }),
    allowed: ['stranger', 'reporter', 'assignee', 'sigMember', 'otherSigLead', 'triager', 'security', 'admin'],
  },
  {
    name: 'comment privately',
    request: (id) => ({
      method: 'post',
      path: `/api/v1/bugs/${id}/comments`,
      body: { body: 'secret', isPrivate: true },
    }),
    allowed: ['security', 'admin'],
  },
  {
    name: 'confirm',
    request: (id) => ({ method: 'patch', path: `/api/v1/bugs/${id}`, body: { status: 'CONFIRMED' } }),
    allowed: ['assignee', 'sigMember', 'triager', 'admin'],
  },
  {
    name: 'resolve',
    request: (id) => ({
      method: 'patch',
      path: `/api/v1/bugs/${id}`,
      body: { status: 'RESOLVED', resolution: 'WORKSFORME' },
    }),
    allowed: ['reporter', 'assignee', 'sigMember', 'triager', 'admin'],
  },
  {
    name: 'reopen',
    request: (id) => ({
      method: 'patch',
      path: `/api/v1/bugs/${id}`,
      setup: { status: 'RESOLVED', resolution: 'FIXED' },
      body: { status: 'CONFIRMED' },
    }),
    allowed: ['reporter', 'assignee', 'sigMember', 'triager', 'admin'],
  },
  {
    name: 'set priority',
    request: (id) => ({ method: 'patch', path: `/api/v1/bugs/${id}`, body: { priority: 'P1' } }),
    allowed: ['assignee', 'sigMember', 'triager', 'admin'],
  },
  {
    name: 'edit the summary',
    request: (id) => ({ method: 'patch', path: `/api/v1/bugs/${id}`, body: { summary: 'clearer summary' } }),
    allowed: ['reporter', 'assignee', 'sigMember', 'triager', 'admin'],
  },
  {
    name: 'reassign',
    request: (id, c) => ({ method: 'patch', path: `/api/v1/bugs/${id}`, body: { assignee: c.bystander } }),
    allowed: ['assignee', 'sigMember', 'triager', 'admin'],
  },
  {
    name: 'add someone else to CC',
    request: (id, c) => ({ method: 'patch', path: `/api/v1/bugs/${id}`, body: { cc: { add: [c.bystander] } } }),
    allowed: ['assignee', 'sigMember', 'triager', 'admin'],
  },
  {
    name: 'make it private',
    request: (id) => ({ method: 'patch', path: `/api/v1/bugs/${id}`, body: { isPrivate: true } }),
    allowed: ['reporter', 'assignee', 'sigMember', 'triager', 'security', 'admin'],
  },
  {
    name: 'ask for information',
    request: (id, c) => ({ method: 'post', path: `/api/v1/bugs/${id}/needinfo`, body: { user: c.bystander } }),
    allowed: ['reporter', 'assignee', 'sigMember', 'triager', 'admin'],
  },
  {
    name: 'mark "affects me"',
    request: (id) => ({ method: 'put', path: `/api/v1/bugs/${id}/affects-me` }),
    allowed: ['stranger', 'reporter', 'assignee', 'sigMember', 'otherSigLead', 'triager', 'security', 'admin'],
  },
];

const EVERYONE: Who[] = [
  'visitor',
  'stranger',
  'reporter',
  'assignee',
  'sigMember',
  'otherSigLead',
  'triager',
  'security',
  'admin',
];

describe('bug permissions matrix', () => {
  let t: TestApp;
  let pkg: string;
  let sessions: Record<Exclude<Who, 'visitor'>, Login>;
  let lead: Login;
  let bystander: string;
  let assigneeName: string;

  beforeAll(async () => {
    t = await startTestApp();
    await makeBugProducts(t.ds);
    const users = {
      stranger: await makeUser(t.ds),
      reporter: await makeUser(t.ds),
      assignee: await makeUser(t.ds),
      sigMember: await makeUser(t.ds),
      otherSigLead: await makeUser(t.ds),
      triager: await makeUser(t.ds, { roles: ['triager'] }),
      security: await makeUser(t.ds, { roles: ['security'] }),
      admin: await makeUser(t.ds, { roles: ['admin'] }),
      lead: await makeUser(t.ds),
    };
    bystander = (await makeUser(t.ds)).user.username;
    const sig = await makeSig(t.ds, {
      members: [
        [users.lead.user.id, 'lead'],
        [users.sigMember.user.id, 'member'],
      ],
    });
    await makeSig(t.ds, { members: [[users.otherSigLead.user.id, 'lead']] });
    pkg = (await makePackage(t.ds, sig.id)).name;
    assigneeName = users.assignee.user.username;
    const entries = await Promise.all(
      Object.entries(users).map(async ([k, u]) => [k, await login(t.baseUrl, u.user.username)] as const),
    );
    const all = Object.fromEntries(entries) as Record<Exclude<Who, 'visitor'> | 'lead', Login>;
    lead = all.lead;
    sessions = all;
  });
  afterAll(async () => {
    await t.close();
  });

  const cells = ACTIONS.flatMap((a) => EVERYONE.map((who) => [a.name, who, a.allowed.includes(who)] as const));

  it.each(cells)('%s as %s → allowed: %s', async (actionName, who, allowed) => {
    const action = ACTIONS.find((a) => a.name === actionName)!;
    const id = await fileBug(t.baseUrl, sessions.reporter, { component: pkg, assignee: undefined });
    await as(t.baseUrl, lead, 'patch', `/api/v1/bugs/${id}`, { assignee: assigneeName }).expect(200);
    const req = action.request(id, { bystander });
    if (req.setup) await as(t.baseUrl, lead, 'patch', `/api/v1/bugs/${id}`, req.setup).expect(200);
    const res = await as(t.baseUrl, who === 'visitor' ? null : sessions[who], req.method, req.path, req.body);
    const expected = allowed ? [200, 201] : who === 'visitor' ? [401] : [403];
    // the cell in the failure message says which action and who, and what came back
    const outcome = expected.includes(res.status) ? 'as expected' : `${res.status} ${JSON.stringify(res.body)}`;
    expect({ actionName, who, outcome }).toEqual({ actionName, who, outcome: 'as expected' });
  });
});
