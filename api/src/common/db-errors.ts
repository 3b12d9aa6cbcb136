import { QueryFailedError } from 'typeorm';

/** A unique violation (a race the constraint won), optionally of one named constraint. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const e = err as QueryFailedError & { code?: string; constraint?: string };
  return e.code === '23505' && (!constraint || e.constraint === constraint);
}
