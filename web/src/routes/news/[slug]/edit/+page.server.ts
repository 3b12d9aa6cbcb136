import { postEditor } from '../../post-form';
import type { Actions, PageServerLoad } from './$types';

const editor = postEditor('news', (slug, status) => (status === 'published' ? `/news/${slug}` : '/news'));
export const load = editor.load satisfies PageServerLoad;
export const actions = editor.actions satisfies Actions;
