import type { NextFunction, Request, Response } from 'express';
import { BugzillaError, sendBugzillaError } from '../modules/bugzilla/bugzilla-errors';
import { badRequest } from './errors';
import { ProblemFilter } from './problem.filter';

const NUL_MESSAGE = 'Text may not contain NUL characters (U+0000).';

/** Whether a parsed body (JSON or form) holds a string with a NUL anywhere inside it. */
export function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key.includes('\u0000') || holdsNul(v, depth + 1)) return true;
  }
  return false;
}

/**
 * Refuses, with a 400, any request whose URL (path or query) or parsed body holds a NUL character.
 * PostgreSQL cannot store one in text, so such a value would otherwise end as a database error
 * (a 500) wherever it reached SQL. Bugzilla REST callers get Bugzilla's error shape.
 */
export function nulGuard(filter = new ProblemFilter()) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.url.includes('%00') && !holdsNul(req.body)) return next();
    if (/^\/rest(\/|$)/.test(req.path)) return sendBugzillaError(res, new BugzillaError(53, NUL_MESSAGE, 400));
    const p = filter.toProblem(badRequest('invalid_characters', NUL_MESSAGE), req);
    res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
  };
}
