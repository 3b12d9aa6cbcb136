import { DataSource } from 'typeorm';
import { login, Login, makeUser, MadeUser } from '../../testing/factories';
import { as, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { SigJoinRequestEntity } from './sig-join-request.entity';
import { SigMembershipEntity } from './sig-membership.entity';
import type { SigEntity, SigStatus } from './sig.entity';

type Who = 'visitor' | 'member' | 'maintainer' | 'lead' | 'lead of another SIG' | 'admin';
const WHO: Who[] = ['visitor', 'member', 'maintainer', 'lead', 'lead of another SIG', 'admin'];

interface Ctx {
  ds: DataSource;
  sig: SigEntity;
  users: Record<Exclude<Who, 'visitor'>, MadeUser>;
}
interface Req {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  body?: object;
}
interface Action {
  what: string;
  status?: SigStatus;
  setup: (c: Ctx) => Req | Promise<Req>;
  /** Expected HTTP status per actor, in WHO order. */
  expect: [number, number, number, number, number, number];
}

const fresh = async (ds: DataSource) => (await makeUser(ds)).user;

/** Who may do what to a SIG: one row per action, one column per kind of actor. */
const MATRIX: Action[] = [
  {
    what: 'view the SIG',
    setup: ({ sig }) => ({ method: 'get', path: `/api/v1/sigs/${sig.slug}` }),
    expect: [200, 200, 200, 200, 200, 200],
  },
  {
    what: 'edit the SIG',
    setup: ({ sig }) => ({ method: 'patch', path: `/api/v1/sigs/${sig.slug}`, body: { nameEn: 'Edited' } }),
    expect: [401, 403, 403, 200, 403, 200],
  },
  {
    what: 'read the join-request queue',
    setup: ({ sig }) => ({ method: 'get', path: `/api/v1/sigs/${sig.slug}/join-requests` }),
    expect: [401, 403, 200, 200, 403, 200],
  },
  {
    what: 'approve a join request',
    setup: async ({ ds, sig }) => {
      const u = await fresh(ds);
      const r = await ds.getRepository(SigJoinRequestEntity).save({ sigId: sig.id, userId: u.id, message: '' });
      return { method: 'post', path: `/api/v1/sigs/${sig.slug}/join-requests/${r.id}/approve`, body: {} };
    },
    expect: [401, 403, 200, 200, 403, 200],
  },
  {
    what: 'invite a member',
    setup: async ({ ds, sig }) => ({
      method: 'post',
      path: `/api/v1/sigs/${sig.slug}/invites`,
      body: { username: (await fresh(ds)).username },
    }),
    expect: [401, 403, 201, 201, 403, 201],
  },
  {
    what: 'invite a lead',
    setup: async ({ ds, sig }) => ({
      method: 'post',
      path: `/api/v1/sigs/${sig.slug}/invites`,
      body: { username: (await fresh(ds)).username, role: 'lead' },
    }),
    expect: [401, 403, 403, 201, 403, 201],
  },
  {
    what: "change a member's role",
    setup: ({ sig, users }) => ({
      method: 'patch',
      path: `/api/v1/sigs/${sig.slug}/members/${users.member.user.username}`,
      body: { role: 'committer' },
    }),
    expect: [401, 403, 403, 200, 403, 200],
  },
  {
    what: 'remove a member',
    setup: async ({ ds, sig }) => {
      const u = await fresh(ds);
      await ds.getRepository(SigMembershipEntity).insert({ sigId: sig.id, userId: u.id, role: 'member' });
      return { method: 'delete', path: `/api/v1/sigs/${sig.slug}/members/${u.username}` };
    },
    expect: [401, 403, 403, 204, 403, 204],
  },
  {
    what: 'activate a proposed SIG',
    status: 'proposed',
    setup: ({ sig }) => ({ method: 'post', path: `/api/v1/sigs/${sig.slug}/activate` }),
    expect: [401, 403, 403, 403, 403, 200],
  },
  {
    what: 'archive the SIG',
    setup: ({ sig }) => ({ method: 'post', path: `/api/v1/sigs/${sig.slug}/archive` }),
    expect: [401, 403, 403, 403, 403, 200],
  },
  {
    what: 'add a package to the SIG',
    setup: ({ sig }) => ({
      method: 'post',
      path: '/api/v1/packages',
      body: { name: `pkg-${sig.slug}`, sig: sig.slug },
    }),
    expect: [401, 403, 403, 403, 403, 201],
  },
  {
    what: "request a transfer of the SIG's package to a third SIG",
    setup: async ({ ds, sig }) => {
      const third = await makeSig(ds);
      await ds.query(`INSERT INTO packages (name, sig_id) VALUES ($1, $2)`, [`pkg-${sig.slug}`, sig.id]);
      return {
        method: 'post',
        path: `/api/v1/packages/pkg-${sig.slug}/transfers`,
        body: { toSig: third.slug },
      };
    },
    expect: [401, 403, 403, 201, 403, 201],
  },
];

describe('who may do what to a SIG (authorization matrix)', () => {
  let t: TestApp;
  let users: Ctx['users'];
  const sessions = {} as Record<Who, Login | null>;

  beforeAll(async () => {
    t = await startTestApp();
    users = {
      member: await makeUser(t.ds),
      maintainer: await makeUser(t.ds),
      lead: await makeUser(t.ds),
      'lead of another SIG': await makeUser(t.ds),
      admin: await makeUser(t.ds, { roles: ['admin'] }),
    };
    await makeSig(t.ds, { members: [[users['lead of another SIG'].user.id, 'lead']] });
    sessions.visitor = null;
    for (const who of WHO.slice(1) as Exclude<Who, 'visitor'>[]) {
      sessions[who] = await login(t.baseUrl, users[who].user.username);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const cases = MATRIX.flatMap((a) => WHO.map((who, i) => ({ a, who, code: a.expect[i] })));

  it.each(cases)('lets a $who $a.what only as allowed (HTTP $code)', async ({ a, who, code }) => {
    const sig = await makeSig(t.ds, {
      status: a.status ?? 'active',
      members: [
        [users.member.user.id, 'member'],
        [users.maintainer.user.id, 'maintainer'],
        [users.lead.user.id, 'lead'],
      ],
    });
    const req = await a.setup({ ds: t.ds, sig, users });
    const res = await as(t.baseUrl, sessions[who], req.method, req.path, req.body);
    expect({ status: res.status, code: res.body?.code }).toEqual({
      status: code,
      code: code >= 400 ? expect.any(String) : undefined,
    });
  });
});
