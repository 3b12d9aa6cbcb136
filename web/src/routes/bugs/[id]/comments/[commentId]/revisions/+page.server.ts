import { error } from '@sveltejs/kit';
import { bugId } from '$lib/bugs';
import { apiFor, attempt } from '$lib/server/api';
import { renderMarkdown } from '$lib/server/markdown';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const id = bugId(event.params.id);
  const commentId = bugId(event.params.commentId);
  if (id === null || commentId === null) error(404, { message: 'Not found' });
  const api = apiFor(event);
  const [bug, revisions] = await Promise.all([
    attempt(api.GET('/api/v1/bugs/{id}', { params: { path: { id } } })),
    attempt(api.GET('/api/v1/bugs/{id}/comments/{commentId}/revisions', { params: { path: { id, commentId } } })),
  ]);
  for (const result of [bug, revisions]) {
    if (result.ok) continue;
    // A private bug or comment the viewer may not see is, to them, one that does not exist.
    if (result.problem.status === 404 || result.problem.status === 403) error(404, { message: 'Not found' });
    error(result.problem.status === 0 ? 503 : 502, { message: result.problem.detail ?? 'API error' });
  }
  if (!bug.ok || !revisions.ok) error(502, { message: 'API error' });
  const comment = bug.data.comments.find((candidate) => candidate.id === commentId);
  if (!comment) error(404, { message: 'Not found' });
  return {
    bug: { id: bug.data.id, summary: bug.data.summary },
    comment: { ...comment, html: renderMarkdown(comment.body) },
    // newest first: the version just before the current text leads
    revisions: revisions.data.map((revision) => ({ ...revision, html: renderMarkdown(revision.body) })).reverse(),
  };
};
