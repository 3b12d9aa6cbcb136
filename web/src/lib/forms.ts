import { isMessageKey, type Translate } from '$lib/i18n';

/** What a failed form action hands back to its page: the API's problem, reduced to what we show. */
export interface FormProblem {
  status: number;
  code: string | null;
  detail: string | null;
  /** API field name → message, shown next to the field. */
  fields: Record<string, string>;
}

/** The sentence to show for a problem: our own translation of its code when we have one. */
export function problemMessage(t: Translate, problem: FormProblem): string {
  if (problem.status === 429) return t('error.rate_limited');
  const key = problem.code ? `error.${problem.code}` : '';
  if (isMessageKey(key)) return t(key);
  if (problem.status === 0) return t('error.unavailable');
  if (Object.keys(problem.fields).length > 0) return t('error.fields');
  return problem.detail ?? t('error.generic');
}
