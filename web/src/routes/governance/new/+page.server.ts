import { error, fail, redirect } from '@sveltejs/kit';
import { apiFor, attempt, failStatus, localProblem } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import { BALLOT_MODES, ELECTION_METHODS, ELECTORATES, NEW_KINDS, oneOf } from '$lib/governance';
import { candidates } from './candidates';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event.locals, event.url);
  const bodies = await attempt(apiFor(event).GET('/api/v1/governance/bodies'));
  if (!bodies.ok) error(bodies.problem.status === 0 ? 503 : 502, { message: bodies.problem.detail ?? 'API error' });
  return { bodies: bodies.data.items, preset: event.url.searchParams.get('body') ?? '' };
};

function optionalInt(value: string): number | undefined {
  if (value === '') return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : Number.NaN;
}

export const actions: Actions = {
  default: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const rows = candidates(form);
    const values = {
      body: field(form, 'body'),
      kind: field(form, 'kind'),
      sig: field(form, 'sig'),
      title: field(form, 'title'),
      text: field(form, 'text', { trim: false }),
      method: field(form, 'method'),
      seats: field(form, 'seats'),
      noneOfTheAbove: field(form, 'noneOfTheAbove') === 'on',
      ballotMode: field(form, 'ballotMode'),
      electorate: field(form, 'electorate'),
      electorateMonths: field(form, 'electorateMonths'),
      options: rows.map((row) => `${row.key}: ${row.label}`).join('\n'),
      rows,
    };
    if (!oneOf(NEW_KINDS, values.kind)) {
      return fail(400, { values, problem: localProblem(400, null, { kind: 'required' }) });
    }
    const election = values.kind === 'election';
    const seats = optionalInt(values.seats);
    const months = optionalInt(values.electorateMonths);
    const electorate = oneOf(ELECTORATES, values.electorate) ? values.electorate : undefined;
    const result = await attempt(
      apiFor(event).POST('/api/v1/governance/proposals', {
        body: {
          body: values.body,
          kind: values.kind,
          title: values.title,
          ...(values.text.trim() ? { text: values.text } : {}),
          ...(values.kind === 'sig_archive' ? { sig: values.sig } : {}),
          ...(election
            ? {
                method: oneOf(ELECTION_METHODS, values.method) ? values.method : 'schulze',
                options: rows,
                noneOfTheAbove: values.noneOfTheAbove,
                ...(seats === undefined ? {} : { seats }),
              }
            : {}),
          ...(oneOf(BALLOT_MODES, values.ballotMode) ? { ballotMode: values.ballotMode } : {}),
          ...(electorate ? { electorate } : {}),
          ...(electorate === 'active_contributors' && months !== undefined ? { electorateMonths: months } : {}),
        },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { values, problem: result.problem });
    redirect(303, `/governance/proposals/${result.data.id}`);
  },
};
