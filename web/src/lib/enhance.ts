import type { SubmitFunction } from '@sveltejs/kit';
import { invalidateAll } from '$app/navigation';

export interface SubmittingOptions {
  /**
   * Empty the form after a success (the default, for forms that add something: a comment, a file).
   * Turn it off for forms that show stored values (an edit form, a settings matrix): a reset puts
   * every field back to the value it was first rendered with, and fields whose stored value did not
   * change are not written again, so they would go stale and the next save would send them.
   */
  reset?: boolean;
  /**
   * Load the page's data again after a failure too, as the no-JavaScript round trip does: a form
   * refused because the record changed meanwhile (a mid-air collision) must then show it as it is.
   */
  reloadOnFailure?: boolean;
}

/**
 * The progressive enhancement every form here wants: report pending state (to disable the
 * button), apply the result as the no-JavaScript round trip would, and, like that round trip,
 * never keep a password in the form after a failure.
 */
export function submitting(
  onPending: (pending: boolean) => void = () => {},
  { reset = true, reloadOnFailure = false }: SubmittingOptions = {},
): SubmitFunction {
  return ({ formElement }) => {
    onPending(true);
    return async ({ result, update }) => {
      try {
        await update({ reset });
        if (result.type === 'failure') {
          if (reloadOnFailure) await invalidateAll();
          for (const input of formElement.querySelectorAll<HTMLInputElement>('input[type="password"]')) {
            input.value = '';
          }
        }
      } finally {
        onPending(false);
      }
    };
  };
}
