import { error, fail } from '@sveltejs/kit';
import { apiFor, attempt, failStatus, localProblem } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import { renderMarkdown } from '$lib/server/markdown';
import { asPublishedResult, MOTION_VOTES, oneOf, type BallotBody, type Proposal } from '$lib/governance';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function proposalId(raw: string): number {
  const id = Number(raw);
  if (!/^\d{1,10}$/.test(raw) || !Number.isSafeInteger(id) || id < 1) error(404, { message: 'Not found' });
  return id;
}

export const load: PageServerLoad = async (event) => {
  const id = proposalId(event.params.id);
  const api = apiFor(event);
  const path = { params: { path: { id } } };
  const proposal = await attempt(api.GET('/api/v1/governance/proposals/{id}', path));
  if (!proposal.ok) {
    if (proposal.problem.status === 404) error(404, { message: 'Not found' });
    error(proposal.problem.status === 0 ? 503 : 502, { message: proposal.problem.detail ?? 'API error' });
  }
  const p: Proposal = proposal.data;
  const viewer = p.viewer;
  const [comments, audit, ballot, result, requests] = await Promise.all([
    attempt(api.GET('/api/v1/governance/proposals/{id}/comments', path)),
    attempt(api.GET('/api/v1/governance/proposals/{id}/audit', path)),
    viewer?.hasVoted ? attempt(api.GET('/api/v1/governance/proposals/{id}/ballot', path)) : null,
    p.status === 'closed' ? attempt(api.GET('/api/v1/governance/proposals/{id}/result', path)) : null,
    viewer?.canDecideEligibility && p.electorate !== 'body'
      ? attempt(api.GET('/api/v1/governance/proposals/{id}/eligibility-requests', path))
      : null,
  ]);
  const choice = ballot?.ok ? ballot.data.choice : null;
  // the schema types the receipt loosely; it is the string (or null) the API sends
  const receipt = ballot?.ok ? (ballot.data.receipt as unknown as string | null) : null;
  return {
    proposal: p,
    textHtml: renderMarkdown(p.text),
    comments: comments.ok ? comments.data.items.map((c) => ({ ...c, html: renderMarkdown(c.body) })) : null,
    audit: audit.ok ? audit.data : null,
    myBallot: choice ? { choice, receipt } : null,
    result: result?.ok ? asPublishedResult(result.data.result) : null,
    resultSha256: result?.ok ? result.data.sha256 : null,
    requests: requests?.ok ? requests.data.items : null,
  };
};

/** The ballot as the API wants it, from whichever form the method uses. */
function ballotFrom(form: FormData, method: string): BallotBody | null {
  const secret = field(form, 'secret');
  const keep = /^[A-Za-z0-9_-]{16,64}$/.test(secret) ? { secret } : {};
  switch (method) {
    case 'motion': {
      const vote = field(form, 'vote');
      return oneOf(MOTION_VOTES, vote) ? { vote, ...keep } : null;
    }
    case 'schulze': {
      const ranks: Record<string, number> = {};
      for (const [name, value] of form.entries()) {
        if (!name.startsWith('rank.') || typeof value !== 'string' || value.trim() === '') continue;
        const rank = Number(value);
        ranks[name.slice('rank.'.length)] = Number.isInteger(rank) ? rank : 0;
      }
      return Object.keys(ranks).length > 0 ? { ranks, ...keep } : null;
    }
    case 'approval':
      return {
        approve: form.getAll('approve').filter((v): v is string => typeof v === 'string'),
        ...keep,
      };
    case 'plurality': {
      const pick = field(form, 'pick');
      return pick ? { pick, ...keep } : null;
    }
    default:
      return null;
  }
}

function hours(value: string): number {
  const n = Number(value);
  return Number.isInteger(n) ? n : 0;
}

/** A datetime-local value (the visitor's wall clock, sent with their offset in minutes) as ISO. */
function localToIso(value: string, offsetMinutes: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const offset = Number(offsetMinutes);
  const utc = Date.parse(`${value}:00Z`);
  if (Number.isNaN(utc)) return null;
  // getTimezoneOffset() is UTC − local in minutes; without it (no JavaScript) the time is read as China time
  const minutes = Number.isInteger(offset) ? offset : -480;
  return new Date(utc + minutes * 60_000).toISOString();
}

type Event = RequestEvent;

async function simple(
  event: Event,
  name: string,
  call: (id: number) => Promise<{ data?: unknown; error?: unknown; response: Response }>,
) {
  requireUser(event.locals, event.url);
  const id = proposalId(event.params.id);
  const result = await attempt(call(id));
  if (!result.ok) return fail(failStatus(result.problem), { form: name, problem: result.problem });
  return { form: name, done: true };
}

export const actions: Actions = {
  ballot: async (event) => {
    requireUser(event.locals, event.url);
    const id = proposalId(event.params.id);
    const form = await event.request.formData();
    const body = ballotFrom(form, field(form, 'method'));
    if (!body) return fail(400, { form: 'ballot', problem: localProblem(400, 'empty_ballot') });
    const result = await attempt(
      apiFor(event).PUT('/api/v1/governance/proposals/{id}/ballot', { params: { path: { id } }, body }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'ballot', problem: result.problem });
    return { form: 'ballot', receipt: result.data.receipt, secret: result.data.secret, closed: result.data.closed };
  },

  receipt: async (event) => {
    const id = proposalId(event.params.id);
    const secret = field(await event.request.formData(), 'secret');
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(secret)) {
      return fail(400, { form: 'receipt', problem: localProblem(400, 'bad_secret', { secret: 'invalid' }) });
    }
    const result = await attempt(
      apiFor(event).POST('/api/v1/governance/proposals/{id}/receipt-check', {
        params: { path: { id } },
        body: { secret },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'receipt', problem: result.problem });
    return { form: 'receipt', check: result.data };
  },

  comment: async (event) => {
    requireUser(event.locals, event.url);
    const id = proposalId(event.params.id);
    const body = field(await event.request.formData(), 'body', { trim: false });
    if (body.trim() === '') {
      return fail(400, { form: 'comment', body, problem: localProblem(400, null, { body: 'required' }) });
    }
    const result = await attempt(
      apiFor(event).POST('/api/v1/governance/proposals/{id}/comments', { params: { path: { id } }, body: { body } }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'comment', body, problem: result.problem });
    return { form: 'comment', done: true };
  },

  discuss: (event) =>
    simple(event, 'manage', (id) =>
      apiFor(event).POST('/api/v1/governance/proposals/{id}/discussion', { params: { path: { id } } }),
    ),

  withdraw: (event) =>
    simple(event, 'manage', (id) =>
      apiFor(event).POST('/api/v1/governance/proposals/{id}/withdraw', { params: { path: { id } } }),
    ),

  open: async (event) => {
    requireUser(event.locals, event.url);
    const id = proposalId(event.params.id);
    const form = await event.request.formData();
    const values = { hours: field(form, 'hours'), opensAt: field(form, 'opensAt') };
    const opensAt = values.opensAt ? localToIso(values.opensAt, field(form, 'tzOffset')) : null;
    if (values.opensAt && !opensAt) {
      return fail(400, { form: 'open', values, problem: localProblem(400, null, { opensAt: 'invalid' }) });
    }
    const result = await attempt(
      apiFor(event).POST('/api/v1/governance/proposals/{id}/open', {
        params: { path: { id } },
        body: { hours: hours(values.hours), ...(opensAt ? { opensAt } : {}) },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'open', values, problem: result.problem });
    return { form: 'open', done: true };
  },

  extend: async (event) => {
    requireUser(event.locals, event.url);
    const id = proposalId(event.params.id);
    const form = await event.request.formData();
    const values = { hours: field(form, 'hours'), reason: field(form, 'reason') };
    const result = await attempt(
      apiFor(event).POST('/api/v1/governance/proposals/{id}/extend', {
        params: { path: { id } },
        body: { hours: hours(values.hours), reason: values.reason },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'extend', values, problem: result.problem });
    return { form: 'extend', done: true };
  },

  edit: async (event) => {
    requireUser(event.locals, event.url);
    const id = proposalId(event.params.id);
    const form = await event.request.formData();
    const values = { title: field(form, 'title'), text: field(form, 'text', { trim: false }) };
    const result = await attempt(
      apiFor(event).PATCH('/api/v1/governance/proposals/{id}', { params: { path: { id } }, body: values }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'edit', values, problem: result.problem });
    return { form: 'edit', done: true };
  },

  request: async (event) => {
    requireUser(event.locals, event.url);
    const id = proposalId(event.params.id);
    const reason = field(await event.request.formData(), 'reason');
    const result = await attempt(
      apiFor(event).POST('/api/v1/governance/proposals/{id}/eligibility-requests', {
        params: { path: { id } },
        body: { reason },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'request', reason, problem: result.problem });
    return { form: 'request', done: true };
  },

  decide: async (event) => {
    requireUser(event.locals, event.url);
    const id = proposalId(event.params.id);
    const form = await event.request.formData();
    const requestId = Number(field(form, 'request'));
    const approve = field(form, 'decision') === 'approve';
    if (!Number.isInteger(requestId) || requestId < 1) {
      return fail(400, { form: 'decide', problem: localProblem(400, 'not_found') });
    }
    const params = { params: { path: { id, requestId } } };
    const api = apiFor(event);
    const result = await attempt(
      approve
        ? api.POST('/api/v1/governance/proposals/{id}/eligibility-requests/{requestId}/approve', params)
        : api.POST('/api/v1/governance/proposals/{id}/eligibility-requests/{requestId}/decline', params),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'decide', problem: result.problem });
    return { form: 'decide', done: true };
  },
};
