import { fail, redirect } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import { COMPANY_SIZES, NEEDS, TIMELINES, type CompanySize, type Need, type Timeline } from '$lib/programme';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const api = apiFor(event);
  const [info, me] = await Promise.all([
    attempt(api.GET('/api/v1/programme/info')),
    event.locals.user ? attempt(api.GET('/api/v1/programme/me')) : Promise.resolve(null),
  ]);
  return {
    retentionDays: info.ok ? info.data.retentionDays : null,
    mine: me?.ok ? me.data.mine : [],
    reviewer: me?.ok ? me.data.reviewer : false,
  };
};

const oneOf = <T extends string>(list: readonly T[], value: string): T | undefined =>
  (list as readonly string[]).includes(value) ? (value as T) : undefined;

export const actions: Actions = {
  default: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const values = {
      company: field(form, 'company'),
      companySize: field(form, 'companySize'),
      industry: field(form, 'industry'),
      currentOs: field(form, 'currentOs'),
      serverCount: field(form, 'serverCount'),
      timeline: field(form, 'timeline'),
      needs: form.getAll('needs').filter((v): v is string => typeof v === 'string'),
      contactName: field(form, 'contactName'),
      contactEmail: field(form, 'contactEmail'),
      contactPhone: field(form, 'contactPhone'),
      message: field(form, 'message'),
    };
    const servers = Number(values.serverCount);
    const result = await attempt(
      apiFor(event).POST('/api/v1/programme/applications', {
        body: {
          company: values.company,
          // unknown choices go through as sent, so the API names the field in its error
          companySize: (oneOf<CompanySize>(COMPANY_SIZES, values.companySize) ?? values.companySize) as CompanySize,
          industry: values.industry,
          currentOs: values.currentOs,
          serverCount: values.serverCount !== '' && Number.isFinite(servers) ? servers : -1,
          timeline: (oneOf<Timeline>(TIMELINES, values.timeline) ?? values.timeline) as Timeline,
          needs: values.needs.filter((n): n is Need => oneOf<Need>(NEEDS, n) !== undefined),
          contactName: values.contactName,
          contactEmail: values.contactEmail,
          ...(values.contactPhone ? { contactPhone: values.contactPhone } : {}),
          ...(values.message ? { message: values.message } : {}),
        },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { values, problem: result.problem });
    redirect(303, `/programme/applications/${result.data.id}?sent=1`);
  },
};
