import { error, fail } from '@sveltejs/kit';
import type { paths } from '$lib/api/schema';
import type { BugDetail } from '$lib/api/types';
import { bugId, isBugPriority, isBugResolution, isBugSeverity, isBugStatus } from '$lib/bugs';
import { apiFor, attempt, failStatus, localProblem } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import { renderMarkdown } from '$lib/server/markdown';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

type UpdateBug = NonNullable<paths['/api/v1/bugs/{id}']['patch']['requestBody']>['content']['application/json'];

function idOf(event: { params: { id: string } }): number {
  const id = bugId(event.params.id);
  if (id === null) error(404, { message: 'Not found' });
  return id;
}

async function fetchBug(event: RequestEvent, id: number): Promise<BugDetail> {
  const result = await attempt(apiFor(event).GET('/api/v1/bugs/{id}', { params: { path: { id } } }));
  if (result.ok) return result.data;
  // A private bug the viewer may not see is, to them, a bug that does not exist.
  if (result.problem.status === 404 || result.problem.status === 403) error(404, { message: 'Not found' });
  error(result.problem.status === 0 ? 503 : 502, { message: result.problem.detail ?? 'API error' });
}

export const load: PageServerLoad = async (event) => {
  const id = idOf(event);
  const [bug, history, fixTrail] = await Promise.all([
    fetchBug(event, id),
    attempt(apiFor(event).GET('/api/v1/bugs/{id}/history', { params: { path: { id } } })),
    attempt(apiFor(event).GET('/api/v1/bugs/{id}/builds', { params: { path: { id } } })),
  ]);
  return {
    bug,
    comments: bug.comments.map((comment) => ({ ...comment, html: renderMarkdown(comment.body) })),
    history: history.ok ? history.data : null,
    // null: the fix trail could not be loaded (the section says so)
    fixTrail: fixTrail.ok ? fixTrail.data : null,
  };
};

/** Text fields of the edit form, as the API names them. */
const TEXT_FIELDS = [
  'summary',
  'version',
  'component',
  'hardware',
  'opSys',
  'url',
  'whiteboard',
  'targetRelease',
  'fixedIn',
] as const;
/** Comma-separated lists of words. */
const LIST_FIELDS = ['keywords', 'cveIds', 'seeAlso', 'aliases'] as const;
/** Comma-separated lists of bug numbers. */
const ID_LIST_FIELDS = ['dependsOn', 'blocks'] as const;
/** Usernames; empty means nobody. */
const USER_FIELDS = ['assignee', 'qaContact'] as const;

function words(value: string): string[] {
  return value
    .split(/[,，\s]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

const sameList = (a: readonly (string | number)[], b: readonly (string | number)[]): boolean =>
  a.length === b.length && a.every((value, index) => String(value) === String(b[index]));

/**
 * The fields of the edit form that this viewer may change and did change, compared with the bug
 * as it is now; untouched fields are not sent, so a field someone else changed meanwhile is kept.
 */
function changedFields(form: FormData, bug: BugDetail): UpdateBug | string {
  const editable = new Set(bug.permissions.editableFields);
  const body: UpdateBug = {};
  for (const name of TEXT_FIELDS) {
    if (!editable.has(name) || !form.has(name)) continue;
    const value = field(form, name);
    if (value !== bug[name]) body[name] = value;
  }
  for (const name of USER_FIELDS) {
    if (!editable.has(name) || !form.has(name)) continue;
    const value = field(form, name) || null;
    if (value !== bug[name]) body[name] = value;
  }
  for (const name of LIST_FIELDS) {
    if (!editable.has(name) || !form.has(name)) continue;
    const value = words(field(form, name));
    if (!sameList(value, bug[name])) body[name] = value;
  }
  for (const name of ID_LIST_FIELDS) {
    if (!editable.has(name) || !form.has(name)) continue;
    const value = words(field(form, name)).map((word) => bugId(word.replace(/^#/, '')));
    if (value.some((id) => id === null)) return name;
    const ids = value.filter((id) => id !== null);
    if (!sameList(ids, bug[name])) body[name] = ids;
  }
  const severity = field(form, 'severity');
  if (editable.has('severity') && isBugSeverity(severity) && severity !== bug.severity) body.severity = severity;
  const priority = field(form, 'priority');
  if (editable.has('priority') && isBugPriority(priority) && priority !== bug.priority) body.priority = priority;
  if (editable.has('isPrivate') && form.has('privacy')) {
    const isPrivate = form.get('isPrivate') === 'on';
    if (isPrivate !== bug.isPrivate) body.isPrivate = isPrivate;
  }
  return body;
}

/** What was typed into the text fields of a form, to show again when it fails. */
function typed(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === 'string' && name !== 'updatedAt') values[name] = value;
  return values;
}

async function patch(event: RequestEvent, id: number, form: FormData, body: UpdateBug, name: string) {
  const ifUnmodifiedSince = field(form, 'updatedAt');
  const result = await attempt(
    apiFor(event).PATCH('/api/v1/bugs/{id}', {
      params: { path: { id } },
      body: { ...body, ...(ifUnmodifiedSince ? { ifUnmodifiedSince } : {}) },
    }),
  );
  if (!result.ok) {
    // After a mid-air collision the form must show the bug as it is now, not what was typed over it.
    const values = result.problem.code === 'mid_air_collision' ? {} : typed(form);
    return fail(failStatus(result.problem), { form: name, values, problem: result.problem });
  }
  return { form: name, done: true };
}

export const actions: Actions = {
  comment: async (event) => {
    requireUser(event.locals, event.url);
    const id = idOf(event);
    const form = await event.request.formData();
    const body = field(form, 'body', { trim: false });
    if (body.trim() === '')
      return fail(400, { form: 'comment', values: { body }, problem: localProblem(400, null, { body: 'required' }) });
    const result = await attempt(
      apiFor(event).POST('/api/v1/bugs/{id}/comments', {
        params: { path: { id } },
        body: { body, ...(form.get('isPrivate') === 'on' ? { isPrivate: true } : {}) },
      }),
    );
    if (!result.ok)
      return fail(failStatus(result.problem), { form: 'comment', values: { body }, problem: result.problem });
    return { form: 'comment', done: true };
  },

  status: async (event) => {
    requireUser(event.locals, event.url);
    const id = idOf(event);
    const form = await event.request.formData();
    const status = field(form, 'status');
    const resolution = field(form, 'resolution');
    const comment = field(form, 'comment', { trim: false });
    if (!isBugStatus(status))
      return fail(400, { form: 'status', problem: localProblem(400, null, { status: 'invalid' }) });
    const body: UpdateBug = { status };
    if (status === 'RESOLVED') {
      if (!isBugResolution(resolution))
        return fail(400, { form: 'status', problem: localProblem(400, null, { resolution: 'required' }) });
      body.resolution = resolution;
      if (resolution === 'DUPLICATE') {
        const dupeOf = bugId(field(form, 'dupeOf').replace(/^#/, ''));
        if (dupeOf === null)
          return fail(400, { form: 'status', problem: localProblem(400, null, { dupeOf: 'required' }) });
        body.dupeOf = dupeOf;
      }
    }
    if (comment.trim() !== '') body.comment = { body: comment };
    return patch(event, id, form, body, 'status');
  },

  edit: async (event) => {
    requireUser(event.locals, event.url);
    const id = idOf(event);
    const form = await event.request.formData();
    const bug = await fetchBug(event, id);
    const body = changedFields(form, bug);
    if (typeof body === 'string')
      return fail(400, {
        form: 'edit',
        values: typed(form),
        problem: localProblem(400, null, { [body]: 'invalid' }),
      });
    if (Object.keys(body).length === 0) return { form: 'edit', done: true };
    return patch(event, id, form, body, 'edit');
  },

  cc: async (event) => {
    const me = requireUser(event.locals, event.url);
    const id = idOf(event);
    const form = await event.request.formData();
    const change = form.get('op') === 'remove' ? { remove: [me.username] } : { add: [me.username] };
    const result = await attempt(
      apiFor(event).PATCH('/api/v1/bugs/{id}', { params: { path: { id } }, body: { cc: change } }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'me', problem: result.problem });
    return { form: 'me', done: true };
  },

  affects: async (event) => {
    requireUser(event.locals, event.url);
    const id = idOf(event);
    const form = await event.request.formData();
    const api = apiFor(event);
    const options = { params: { path: { id } } };
    const result = await attempt(
      form.get('op') === 'remove'
        ? api.DELETE('/api/v1/bugs/{id}/affects-me', options)
        : api.PUT('/api/v1/bugs/{id}/affects-me', options),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'me', problem: result.problem });
    return { form: 'me', done: true };
  },

  needinfo: async (event) => {
    requireUser(event.locals, event.url);
    const id = idOf(event);
    const form = await event.request.formData();
    const user = field(form, 'user').replace(/^@/, '');
    const question = field(form, 'question', { trim: false });
    if (user === '')
      return fail(400, {
        form: 'needinfo',
        values: { user, question },
        problem: localProblem(400, null, { user: 'required' }),
      });
    const result = await attempt(
      apiFor(event).POST('/api/v1/bugs/{id}/needinfo', {
        params: { path: { id } },
        body: { user, ...(question.trim() ? { question } : {}) },
      }),
    );
    if (!result.ok)
      return fail(failStatus(result.problem), {
        form: 'needinfo',
        values: { user, question },
        problem: result.problem,
      });
    return { form: 'needinfo', done: true };
  },

  clearNeedinfo: async (event) => {
    requireUser(event.locals, event.url);
    const id = idOf(event);
    const username = field(await event.request.formData(), 'username');
    const result = await attempt(
      apiFor(event).DELETE('/api/v1/bugs/{id}/needinfo/{username}', { params: { path: { id, username } } }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'needinfo', problem: result.problem });
    return { form: 'needinfo', done: true };
  },

  attach: async (event) => {
    requireUser(event.locals, event.url);
    const id = idOf(event);
    const form = await event.request.formData();
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0 || file.name === '')
      return fail(400, { form: 'attach', problem: localProblem(400, null, { file: 'required' }) });
    const data = Buffer.from(await file.arrayBuffer()).toString('base64');
    const description = field(form, 'description');
    const result = await attempt(
      apiFor(event).POST('/api/v1/bugs/{id}/attachments', {
        params: { path: { id } },
        body: {
          filename: file.name.slice(0, 255),
          contentType: (file.type || 'application/octet-stream').slice(0, 100),
          data,
          ...(description ? { description } : {}),
          isPatch: form.get('isPatch') === 'on',
          isPrivate: form.get('isPrivate') === 'on',
        },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'attach', problem: result.problem });
    return { form: 'attach', done: true };
  },
};
