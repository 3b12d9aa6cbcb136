import type { FormProblem } from '$lib/forms';
import { isMessageKey, type MessageKey, type Translate } from '$lib/i18n';

/**
 * The sentence shown next to a field the API (or the action) refused: the translation of the
 * problem's code when it names what is wrong with that field (product_exists, unknown_sig …),
 * otherwise the field's own explanation of what it accepts.
 */
export function fieldError(
  t: Translate,
  problem: FormProblem | null | undefined,
  name: string,
  accepts: MessageKey,
): string | undefined {
  if (!problem?.fields[name]) return undefined;
  const key = problem.code && problem.code !== 'validation_failed' ? `error.${problem.code}` : '';
  return isMessageKey(key) ? t(key) : t(accepts);
}
