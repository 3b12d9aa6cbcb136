import { error, fail } from '@sveltejs/kit';
import { apiFor, attempt, failStatus, problemFromQuery, secureCookies } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import { isLang, LANG_COOKIE } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event.locals, event.url);
  const api = apiFor(event);
  const [me, notifications, sigs, bugMail, cla, notifySettings] = await Promise.all([
    attempt(api.GET('/api/v1/me')),
    attempt(api.GET('/api/v1/notifications', { params: { query: { limit: 1 } } })),
    attempt(api.GET('/api/v1/me/sigs')),
    attempt(api.GET('/api/v1/me/bug-mail')),
    attempt(api.GET('/api/v1/me/cla')),
    attempt(api.GET('/api/v1/me/notification-settings')),
  ]);
  if (!me.ok) error(me.problem.status === 0 ? 503 : 502, { message: me.problem.detail ?? 'API error' });
  return {
    me: me.data,
    unread: notifications.ok ? notifications.data.unread : null,
    // null: the list could not be loaded; the rest of the profile still shows.
    sigs: sigs.ok ? sigs.data : null,
    bugMail: bugMail.ok ? bugMail.data.prefs : null,
    cla: cla.ok ? cla.data : null,
    notifySettings: notifySettings.ok ? notifySettings.data.settings : null,
    giteeLinked: event.url.searchParams.get('linked') === 'gitee',
    redirectProblem: problemFromQuery(event.url),
  };
};

export const actions: Actions = {
  profile: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const values = { displayName: field(form, 'displayName'), locale: field(form, 'locale') };
    const locale = isLang(values.locale) ? values.locale : undefined;
    const result = await attempt(
      apiFor(event).PATCH('/api/v1/me', {
        body: { displayName: values.displayName === '' ? null : values.displayName, ...(locale ? { locale } : {}) },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'profile', values, problem: result.problem });
    // The saved preference becomes the language of the pages too.
    if (locale) {
      event.cookies.set(LANG_COOKIE, locale, {
        path: '/',
        maxAge: 60 * 60 * 24 * 365,
        httpOnly: false,
        sameSite: 'lax',
        secure: secureCookies(),
      });
    }
    return { form: 'profile', saved: true };
  },

  password: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const body = {
      currentPassword: field(form, 'currentPassword', { trim: false }),
      newPassword: field(form, 'newPassword', { trim: false }),
    };
    const result = await attempt(apiFor(event).POST('/api/v1/me/password', { body }));
    if (!result.ok) return fail(failStatus(result.problem), { form: 'password', problem: result.problem });
    return { form: 'password', saved: true };
  },

  bugMail: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    // Every cell the API knows is sent, so an unchecked box (absent from the form) turns mail off.
    const current = await attempt(apiFor(event).GET('/api/v1/me/bug-mail'));
    if (!current.ok) return fail(failStatus(current.problem), { form: 'bugMail', problem: current.problem });
    const prefs = current.data.prefs.map(({ role, event: kind }) => ({
      role,
      event: kind,
      enabled: form.get(`${role}:${kind}`) === 'on',
    }));
    const result = await attempt(apiFor(event).PUT('/api/v1/me/bug-mail', { body: { prefs } }));
    if (!result.ok) return fail(failStatus(result.problem), { form: 'bugMail', problem: result.problem });
    return { form: 'bugMail', saved: true };
  },

  notifySettings: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const current = await attempt(apiFor(event).GET('/api/v1/me/notification-settings'));
    if (!current.ok) return fail(failStatus(current.problem), { form: 'notify', problem: current.problem });
    // one radio group per category the API knows; an unknown value goes through for the API to refuse
    const settings = current.data.settings.map(({ category, mode }) => {
      const chosen = field(form, `notify:${category}`);
      return { category, mode: (chosen || mode) as typeof mode };
    });
    const result = await attempt(apiFor(event).PUT('/api/v1/me/notification-settings', { body: { settings } }));
    if (!result.ok) return fail(failStatus(result.problem), { form: 'notify', problem: result.problem });
    return { form: 'notify', saved: true };
  },

  unlinkGitee: async (event) => {
    requireUser(event.locals, event.url);
    const result = await attempt(apiFor(event).DELETE('/api/v1/me/gitee'));
    if (!result.ok) return fail(failStatus(result.problem), { form: 'gitee', problem: result.problem });
    return { form: 'gitee', saved: true };
  },
};
