import { ValidationError, ValidationPipe } from '@nestjs/common';
import { badRequest, FieldError } from './errors';

/** Flattens class-validator's tree into `{ field: 'a.b[0]', message }` pairs. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent
      ? /^\d+$/.test(e.property)
        ? `${parent}[${e.property}]`
        : `${parent}.${e.property}`
      : e.property;
    for (const message of Object.values(e.constraints ?? {})) out.push({ field, message });
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/** Whitelisting: unknown properties are an error, not silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      badRequest('validation_failed', 'The request has invalid fields.', flattenValidationErrors(errors)),
  });
}

/** `@Transform(trimString)`: surrounding white space is never meaningful in names and addresses. */
export const trimString = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** `@IsUrl(HTTP_URL)`: absolute http(s) links only (no javascript:, no relative paths). */
export const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
