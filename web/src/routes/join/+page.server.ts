import { fail, redirect } from '@sveltejs/kit';
import { apiFor, attempt, failStatus, localProblem } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import { renderMarkdown } from '$lib/server/markdown';
import type { Actions, PageServerLoad } from './$types';

const SLUG = /^[a-z][a-z0-9-]{1,63}$/;

/** The join path: account → CLA → SIGs → first good bugs. Each step works as a plain form. */
export const load: PageServerLoad = async (event) => {
  const api = apiFor(event);
  const user = event.locals.user;
  const [cla, mine, sigs, mySigs, bugs] = await Promise.all([
    attempt(api.GET('/api/v1/cla')),
    user ? attempt(api.GET('/api/v1/me/cla')) : Promise.resolve(null),
    attempt(api.GET('/api/v1/sigs', { params: { query: { status: 'active', limit: 100 } } })),
    user ? attempt(api.GET('/api/v1/me/sigs')) : Promise.resolve(null),
    attempt(api.GET('/api/v1/join/first-bugs', { params: { query: { limit: 10 } } })),
  ]);
  return {
    cla: cla.ok ? { version: cla.data.version, sha256: cla.data.sha256, html: renderMarkdown(cla.data.text) } : null,
    claStatus: mine?.ok ? mine.data : null,
    sigs: sigs.ok ? sigs.data.items : null,
    mySigs: mySigs?.ok ? mySigs.data.map((s) => s.slug) : [],
    firstBugs: bugs.ok ? bugs.data : null,
  };
};

export const actions: Actions = {
  sign: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const values = { fullName: field(form, 'fullName') };
    const result = await attempt(
      apiFor(event).POST('/api/v1/me/cla', {
        body: {
          version: field(form, 'version'),
          sha256: field(form, 'sha256'),
          fullName: values.fullName,
          agree: form.get('agree') === 'on',
        },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'cla', values, problem: result.problem });
    redirect(303, '/join?signed=1#sigs');
  },

  follow: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const slug = field(form, 'slug');
    if (!SLUG.test(slug)) return fail(400, { form: 'sig', slug, problem: localProblem(400, 'not_found') });
    const result = await attempt(apiFor(event).PUT('/api/v1/sigs/{slug}/bug-watch', { params: { path: { slug } } }));
    if (!result.ok) return fail(failStatus(result.problem), { form: 'sig', slug, problem: result.problem });
    return { form: 'sig', slug, done: 'join.sigs.following' as const };
  },

  request: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const slug = field(form, 'slug');
    if (!SLUG.test(slug)) return fail(400, { form: 'sig', slug, problem: localProblem(400, 'not_found') });
    const result = await attempt(
      apiFor(event).POST('/api/v1/sigs/{slug}/join-requests', {
        params: { path: { slug } },
        body: { message: field(form, 'message') },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'sig', slug, problem: result.problem });
    return { form: 'sig', slug, done: 'join.sigs.requested' as const };
  },
};
