import { fail, redirect } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

const CONTENT = ['releases', 'repos', 'isos'] as const;

export const load: PageServerLoad = (event) => {
  const user = requireUser(event.locals, event.url);
  return { email: user.email };
};

export const actions: Actions = {
  default: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const values = {
      name: field(form, 'name'),
      sponsor: field(form, 'sponsor'),
      sponsorUrl: field(form, 'sponsorUrl'),
      country: field(form, 'country').toUpperCase(),
      bandwidthMbps: field(form, 'bandwidthMbps'),
      contactEmail: field(form, 'contactEmail'),
      httpsUrl: field(form, 'httpsUrl'),
      httpUrl: field(form, 'httpUrl'),
      rsyncUrl: field(form, 'rsyncUrl'),
      content: CONTENT.filter((c) => form.getAll('content').includes(c)),
    };
    const bandwidth = Number(values.bandwidthMbps);
    const result = await attempt(
      apiFor(event).POST('/api/v1/mirrors', {
        body: {
          name: values.name,
          sponsor: values.sponsor,
          country: values.country,
          // the API explains what is wrong with a number that is not one
          bandwidthMbps: Number.isFinite(bandwidth) && values.bandwidthMbps !== '' ? bandwidth : -1,
          contactEmail: values.contactEmail,
          ...(values.sponsorUrl ? { sponsorUrl: values.sponsorUrl } : {}),
          ...(values.httpsUrl ? { httpsUrl: values.httpsUrl } : {}),
          ...(values.httpUrl ? { httpUrl: values.httpUrl } : {}),
          ...(values.rsyncUrl ? { rsyncUrl: values.rsyncUrl } : {}),
          ...(values.content.length ? { content: values.content } : {}),
        },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { values, problem: result.problem });
    redirect(303, '/mirrors/manage?registered=1');
  },
};
