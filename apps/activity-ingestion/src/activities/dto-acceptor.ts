import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';

/**
 * Whether a plain object passes every rule of a class-validator DTO, decided without building the
 * DTO instance and without an error report: `true` means class-validator (with `whitelist`,
 * `forbidNonWhitelisted`, no groups) would return no errors for `plainToInstance(dto, raw)`; `false`
 * means "not sure", and the caller runs class-validator for its answer and its messages.
 */
export type DtoAcceptor = (raw: Readonly<Record<string, unknown>>) => boolean;

type Condition = (object: object, value: unknown) => boolean;
// class-validator's metadata types, which its package root does not export.
type Storage = ReturnType<typeof getMetadataStorage>;
type ConstraintMetadata = ReturnType<Storage['getTargetValidatorConstraints']>[number];
type ValidationMetadata = ReturnType<Storage['getTargetValidationMetadatas']>[number];

interface Check {
  constraint: ConstraintMetadata;
  metadata: ValidationMetadata;
}

interface PropertyRules {
  name: string;
  conditions: Condition[];
  checks: Check[];
  /** A nested DTO (@ValidateNested): its value needs class-transformer's instances, so any value defers. */
  nested: boolean;
}

// The option values `validateActivity` runs class-validator with (no groups, `always` off).
const ALWAYS = false;
const STRICT_GROUPS = false;

/**
 * The rules of `dto` compiled once from class-validator's own metadata (the DTO stays their one
 * source), or `undefined` when the DTO uses a kind of rule this executor does not reproduce.
 *
 * Why: class-validator looks the metadata up again, allocates an error object per property and
 * class-transformer builds an instance, for every activity; on the batch endpoint that was about half
 * of the CPU of preparing an activity. Accepting here is only ever a shortcut for inputs on which
 * both executors provably agree: every value is a primitive (class-transformer copies primitives
 * unchanged), every key has rules (the whitelist), the conditions (@IsOptional) and the same
 * validator instances with the same arguments all pass, and nested DTOs are left to class-validator.
 */
export function compileDtoAcceptor(dto: new () => object): DtoAcceptor | undefined {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, '', ALWAYS, STRICT_GROUPS, undefined);
  if (metadatas.length === 0) return undefined;
  const grouped = storage.groupByPropertyName(metadatas);
  const properties: PropertyRules[] = [];
  for (const [name, rules] of Object.entries(grouped)) {
    const property: PropertyRules = { name, conditions: [], checks: [], nested: false };
    for (const metadata of rules) {
      switch (metadata.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          property.conditions.push(metadata.constraints[0] as Condition);
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
        case ValidationTypes.IS_DEFINED:
          for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
            // validateSync skips async constraints; deferring keeps that behaviour class-validator's.
            if (constraint.async) return undefined;
            property.checks.push({ constraint, metadata });
          }
          break;
        case ValidationTypes.NESTED_VALIDATION:
          property.nested = true;
          break;
        default:
          return undefined;
      }
    }
    properties.push(property);
  }
  const known: ReadonlySet<string> = new Set(properties.map((p) => p.name));
  const targetName = dto.name;

  return (raw) => {
    for (const key of Object.keys(raw)) {
      if (!known.has(key)) return false;
      const value = raw[key];
      if (typeof value === 'object' && value !== null) return false;
    }
    for (const property of properties) {
      const value = raw[property.name];
      if (!property.conditions.every((condition) => condition(raw, value))) continue;
      if (property.nested && value !== undefined) return false;
      for (const { constraint, metadata } of property.checks) {
        const args: ValidationArguments = {
          targetName,
          property: metadata.propertyName,
          object: raw,
          value,
          constraints: metadata.constraints,
        };
        if (constraint.instance.validate(value, args) !== true) return false;
      }
    }
    return true;
  };
}
