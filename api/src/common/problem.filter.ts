import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError, FieldError, KIND_STATUS } from './errors';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  500: 'internal',
  503: 'unavailable',
};

export function problem(status: number, code: string, detail: string, errors?: FieldError[]): Problem {
  const p: Problem = {
    type: `https://hub.opencloudos.org/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
  };
  if (errors && errors.length > 0) p.errors = errors;
  return p;
}

/** Every error leaves as RFC 9457 problem+json; stack traces only reach the log. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const body = this.toProblem(exception, req);
    if (res.headersSent) return;
    if (exception instanceof ThrottlerException) res.setHeader('Retry-After', '60');
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  toProblem(exception: unknown, req: Request): Problem {
    if (exception instanceof DomainError) {
      return problem(KIND_STATUS[exception.kind], exception.code, exception.message, exception.errors);
    }
    if (exception instanceof ThrottlerException) {
      return problem(429, 'rate_limited', 'Too many attempts. Wait a minute and try again.');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const resp = exception.getResponse();
      const message =
        typeof resp === 'string'
          ? resp
          : typeof resp === 'object' && resp && typeof (resp as { message?: unknown }).message === 'string'
            ? (resp as { message: string }).message
            : exception.message;
      return problem(status, CODES[status] ?? `http_${status}`, message);
    }
    // body-parser errors (malformed JSON, too large) carry a status and a type
    const e = exception as { status?: number; statusCode?: number; type?: string; message?: string };
    const status = e?.status ?? e?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      if (e.type === 'entity.too.large') return problem(413, 'payload_too_large', 'The request body is too large.');
      if (e.type === 'entity.parse.failed')
        return problem(400, 'malformed_body', 'The request body is not valid JSON.');
      return problem(status, CODES[status] ?? `http_${status}`, e.message ?? 'Bad request.');
    }
    if (exception instanceof QueryFailedError) {
      const code = (exception as QueryFailedError & { code?: string }).code;
      // invalid text representation / numeric out of range: a client sent a value the column can't hold
      if (code === '22P02' || code === '22003' || code === '22001') {
        return problem(400, 'bad_value', 'A value in the request is out of range or malformed.');
      }
    }
    this.logger.error({ err: exception, url: req.originalUrl }, 'unhandled error');
    return problem(500, 'internal', 'Something went wrong on our side. It has been logged.');
  }
}
