import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../../common/errors';

export const BUGZILLA_DOC = 'https://bugzilla.readthedocs.org/en/5.0/api/';

/** An error in Bugzilla's own terms: its numeric code and message, sent as `{"error":true,…}`. */
export class BugzillaError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** Overrides the status Bugzilla would derive from the code (e.g. 429, 500). */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BugzillaError';
  }
}

/** Bugzilla 5's REST_STATUS_CODE_MAP: which HTTP status each error code is sent with. */
const UNAUTHORIZED = new Set([102, 106, 109, 110, 113, 115, 120, 300, 301, 302, 303, 304, 410, 504, 505]);
const NOT_FOUND = new Set([51, 101, 32614]);
export const restStatus = (code: number): number =>
  NOT_FOUND.has(code) ? 404 : UNAUTHORIZED.has(code) ? 401 : code < 0 ? 500 : 400;

/** Our domain error codes in Bugzilla's numbering (Bugzilla::WebService::Constants). */
const DOMAIN_CODES: Record<string, number> = {
  validation_failed: 104,
  unknown_user: 51,
  unknown_product: 106,
  unknown_component: 105,
  unknown_version: 104,
  version_inactive: 104,
  unknown_bug: 101,
  invalid_alias: 103,
  alias_taken: 103,
  bug_field_forbidden: 115,
  transition_forbidden: 115,
  needinfo_forbidden: 115,
  comment_edit_forbidden: 115,
  private_comment_forbidden: 113,
  dependency_cycle: 116,
  duplicate_cycle: 118,
  duplicate_needs_original: 119,
  resolution_required: 121,
  resolution_not_allowed: 122,
  duplicate_needs_resolution: 122,
  attachment_too_large: 600,
  attachment_empty: 606,
  invalid_credentials: 300,
  email_not_verified: 301,
  unauthenticated: 410,
  mid_air_collision: 32000,
};

/** Translates whatever a handler threw; null means "a bug on our side". */
export function toBugzillaError(e: unknown): BugzillaError | null {
  if (e instanceof BugzillaError) return e;
  if (e instanceof DomainError) {
    if (e.kind === 'not_found')
      return /^(Bug|Comment|Attachment)\b/.test(e.message)
        ? new BugzillaError(/^Bug\b/.test(e.message) ? 101 : 51, e.message)
        : new BugzillaError(51, e.message);
    const detail = e.errors.length ? ` (${e.errors.map((f) => `${f.field}: ${f.message}`).join('; ')})` : '';
    const code = DOMAIN_CODES[e.code] ?? (e.kind === 'forbidden' ? 102 : e.kind === 'unauthenticated' ? 410 : 32000);
    return new BugzillaError(code, `${e.message}${detail}`, e.kind === 'payload_too_large' ? 413 : undefined);
  }
  if (e instanceof ThrottlerException)
    return new BugzillaError(32000, 'Too many attempts. Wait a minute and try again.', 429);
  if (e instanceof HttpException) {
    const status = e.getStatus();
    if (status === 404) return new BugzillaError(32614, 'A REST API resource was not found.');
    if (status < 500) return new BugzillaError(32000, e.message, status);
    return null;
  }
  if (e instanceof QueryFailedError) {
    const code = (e as QueryFailedError & { code?: string }).code;
    if (code === '22P02' || code === '22003' || code === '22001')
      return new BugzillaError(53, 'A value in the request is out of range or malformed.');
  }
  return null;
}

/**
 * Writes the error as Bugzilla 5 does: its HTTP status and `{"error":true,"code","message"}`.
 * The message also goes into the status line's reason phrase: python-bugzilla checks the status
 * before it reads the body, and prints only "404 Client Error: <reason> for url: …".
 */
export function sendBugzillaError(res: Response, err: BugzillaError): void {
  if (res.headersSent) return;
  const status = err.status ?? restStatus(err.code);
  res.status(status);
  const reason = err.message
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 200)
    .trim();
  if (reason) res.statusMessage = reason;
  res
    .type('application/json')
    .send(JSON.stringify({ error: true, code: err.code, message: err.message, documentation: BUGZILLA_DOC }));
}

/** Every error under /rest leaves in Bugzilla's shape; unexpected ones are logged, never shown. */
@Catch()
export class BugzillaErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('BugzillaErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    let err = toBugzillaError(exception);
    if (!err) {
      this.logger.error({ err: exception, url: ctx.getRequest<{ path?: string }>().path }, 'unhandled error');
      err = new BugzillaError(-32000, 'Something went wrong on our side. It has been logged.', 500);
    }
    sendBugzillaError(res, err);
  }
}
