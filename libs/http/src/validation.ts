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

/**
 * A body DTO that declares no fields (a rebuild request: `{}` or nothing) has nothing to validate;
 * the request-input guard has already refused any field in it, and class-validator would call `{}`
 * "an unknown value".
 */
class InputValidationPipe extends ValidationPipe {
  protected override toValidate(metadata: ArgumentMetadata): boolean {
    const { metatype, type } = metadata;
    if (
      type === 'body' &&
      typeof metatype === 'function' &&
      getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false).length === 0
    ) {
      return false;
    }
    return super.toValidate(metadata);
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
