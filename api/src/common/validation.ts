import { applyDecorators, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, Matches, ValidateIf } from 'class-validator';
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

/** An optional calendar date, `YYYY-MM-DD` (a real one: not 2026-02-30), or null to clear it. */
export function OptionalCalendarDate(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, format: 'date' }),
    IsOptional(),
    ValidateIf((_, v) => v !== null),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be YYYY-MM-DD' }),
    IsDateString({ strict: true }),
  );
}
