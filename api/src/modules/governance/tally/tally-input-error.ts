/**
 * Input a count cannot be made from: a ballot of the wrong shape, an unknown option, a rule out of
 * range. The library stays free of Nest and HTTP, so the governance service maps this to its own
 * domain error; by the time ballots reach a count they have been validated once already, so this
 * firing means a bug or tampered data, never a voter's typo.
 */
export class TallyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TallyInputError';
  }
}

/** A bad value as it should read in an error message: strings quoted, anything else as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value);
  } catch {
    return 'an unprintable value';
  }
}
