import { postEditor } from '../../../news/post-form';
import type { Actions, PageServerLoad } from './$types';

const editor = postEditor('page', (slug) => `/pages/${slug}`);
export const load = editor.load satisfies PageServerLoad;
export const actions = editor.actions satisfies Actions;
