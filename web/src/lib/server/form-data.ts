/** A form field as a string ('' when absent or a file), optionally trimmed. */
export function field(form: FormData, name: string, { trim = true } = {}): string {
  const value = form.get(name);
  if (typeof value !== 'string') return '';
  return trim ? value.trim() : value;
}
