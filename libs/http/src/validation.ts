import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FieldError, ProblemException } from './problem';

/** Flattens class-validator's tree into `{path, message}` pairs with dotted paths (`credits.1.share`). */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = parent ? `${parent}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      out.push({ path, message });
    }
    if (e.children?.length) {
      out.push(...flattenValidationErrors(e.children, path));
    }
  }
  return out;
}

function declaresNoFields(metadata: ArgumentMetadata): boolean {
  const { metatype, type } = metadata;
  return (
    type === 'body' &&
    typeof metatype === 'function' &&
    metatype !== Object &&
    getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false).length === 0
  );
}

/**
 * A body DTO that declares no fields (a rebuild request: `{}` or nothing) takes exactly that:
 * class-validator would call `{}` "an unknown value" and would not see an extra field at all.
 */
class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!declaresNoFields(metadata)) return super.transform(value, metadata);
    if (value === undefined || value === null) return {};
    const keys = typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : undefined;
    if (keys?.length === 0) return value;
    const first = keys?.[0];
    throw ProblemException.validation([
      first !== undefined
        ? { path: first, message: `${first} is not a field of this endpoint` }
        : { path: '', message: 'the body must be {} or absent' },
    ]);
  }
}

/**
 * The global pipe: DTOs are validated with class-validator, unknown properties are an error (not
 * silently stripped), and failures become a problem document listing every bad field.
 */
export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => ProblemException.validation(flattenValidationErrors(errors)),
  });
}
