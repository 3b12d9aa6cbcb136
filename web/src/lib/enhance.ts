import type { SubmitFunction } from '@sveltejs/kit';

/**
 * The progressive enhancement every form here wants: report pending state (to disable the
 * button), apply the result as the no-JavaScript round trip would, and, like that round trip,
 * never keep a password in the form after a failure.
 */
export function submitting(onPending: (pending: boolean) => void = () => {}): SubmitFunction {
  return ({ formElement }) => {
    onPending(true);
    return async ({ result, update }) => {
      try {
        await update();
        if (result.type === 'failure') {
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
