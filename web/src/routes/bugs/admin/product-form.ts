import { error } from '@sveltejs/kit';
import type { FormProblem } from '$lib/forms';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import { localProblem } from '$lib/server/api';

/** Products, versions and general components are the site admins' (the API checks again). */
export function requireAdmin(locals: App.Locals, url: URL): void {
  const user = requireUser(locals, url);
  if (!user.roles.includes('admin')) error(403, { message: 'Only admins manage bug tracker products.' });
}

/** What the product form holds, as the API takes it. */
export interface ProductValues {
  name: string;
  description: string;
  isActive: boolean;
  packageComponents: boolean;
  bugTemplate: string;
}

const text = (form: FormData, name: string) => field(form, name, { trim: false }).replace(/\r\n/g, '\n');

export function productValues(form: FormData): ProductValues {
  return {
    name: field(form, 'name'),
    description: text(form, 'description').trim(),
    isActive: form.get('isActive') === 'on',
    packageComponents: form.get('packageComponents') === 'on',
    bugTemplate: text(form, 'bugTemplate'),
  };
}

/** What the general component forms hold; '' is "none" for the SIG and the assignee. */
export interface ComponentValues {
  name: string;
  description: string;
  sig: string;
  defaultAssignee: string;
  isActive: boolean;
  /** A new name for an existing component ('' keeps it). */
  rename: string;
}

export function componentValues(form: FormData): ComponentValues {
  return {
    name: field(form, 'name'),
    description: text(form, 'description').trim(),
    sig: field(form, 'sig'),
    defaultAssignee: field(form, 'defaultAssignee').toLowerCase(),
    isActive: form.get('isActive') === 'on',
    rename: field(form, 'rename'),
  };
}

/** A name left empty (or only spaces) is refused here, so the form comes back with everything else kept. */
export function missingName(name: string): FormProblem | null {
  return name === '' ? localProblem(400, null, { name: 'required' }) : null;
}
