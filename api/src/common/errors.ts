/**
 * Domain errors carry a stable machine code; one filter maps them to HTTP. Services throw these
 * and never build HTTP responses themselves.
 */
export type ErrorKind =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable';

export const KIND_STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badRequest = (code: string, message: string, errors: FieldError[] = []): DomainError =>
  new DomainError('bad_request', code, message, errors);
export const unauthenticated = (message = 'You need to log in.'): DomainError =>
  new DomainError('unauthenticated', 'unauthenticated', message);
export const forbidden = (code = 'forbidden', message = 'You are not allowed to do that.'): DomainError =>
  new DomainError('forbidden', code, message);
export const notFound = (what: string): DomainError => new DomainError('not_found', 'not_found', `${what} not found.`);
export const conflict = (code: string, message: string, errors: FieldError[] = []): DomainError =>
  new DomainError('conflict', code, message, errors);
