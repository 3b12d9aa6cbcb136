import { fail, redirect } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

const CADENCES = ['weekly', 'biweekly', 'monthly'] as const;
type Cadence = (typeof CADENCES)[number];

function isCadence(value: string): value is Cadence {
  return (CADENCES as readonly string[]).includes(value);
}

/** Usernames separated by commas, spaces or new lines, without duplicates or a leading @. */
function usernames(value: string): string[] {
  const names = value
    .split(/[\s,，]+/)
    .map((name) => name.replace(/^@/, '').trim().toLowerCase())
    .filter((name) => name !== '');
  return [...new Set(names)];
}

function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export const load: PageServerLoad = (event) => {
  const user = requireUser(event.locals, event.url);
  return { proposer: user.username };
};

export const actions: Actions = {
  default: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const values = {
      slug: field(form, 'slug').toLowerCase(),
      nameZh: field(form, 'nameZh'),
      nameEn: field(form, 'nameEn'),
      description: field(form, 'description'),
      founders: field(form, 'founders'),
      leads: field(form, 'leads'),
      mailingList: field(form, 'mailingList'),
      chat: field(form, 'chat'),
      meetingCadence: field(form, 'meetingCadence'),
      meetingUrl: field(form, 'meetingUrl'),
      subProjects: field(form, 'subProjects'),
    };
    const leads = usernames(values.leads);
    const result = await attempt(
      apiFor(event).POST('/api/v1/sigs', {
        body: {
          slug: values.slug,
          nameZh: values.nameZh,
          nameEn: values.nameEn,
          founders: usernames(values.founders),
          ...(leads.length > 0 ? { leads } : {}),
          ...(values.description ? { description: values.description } : {}),
          ...(values.mailingList ? { mailingList: values.mailingList } : {}),
          ...(values.chat ? { chat: values.chat } : {}),
          ...(isCadence(values.meetingCadence) ? { meetingCadence: values.meetingCadence } : {}),
          ...(values.meetingUrl ? { meetingUrl: values.meetingUrl } : {}),
          subProjects: lines(values.subProjects),
        },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { values, problem: result.problem });
    redirect(303, `/sigs/${encodeURIComponent(result.data.slug)}`);
  },
};
