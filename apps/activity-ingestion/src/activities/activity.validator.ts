import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { Activity, ACTIVITY_KINDS, ActivityKind, DealCredit, DealProduct } from '@pacer/contracts';
import { FieldError } from '@pacer/http';
import { sharesSumToOne } from '@pacer/sales-domain';
import { ACTIVITY_DTOS, DealWonDto } from './activity.dto';
import { ACTIVITY_FIELD_ORDER } from './activity-fields';
import { compileDtoAcceptor, DtoAcceptor } from './dto-acceptor';
import { isStorableText, normaliseMoney, normaliseShare } from '@pacer/sales-domain';

export type ActivityValidation =
  | { ok: true; activity: Activity }
  | {
      ok: false;
      errors: FieldError[];
      /** The item's activityId when it had a usable one. */ activityId?: string;
    };

/** Objects nested deeper than this are not activities; refusing early bounds the work per item. */
const MAX_DEPTH = 6;
const MAX_ERRORS = 50;

const KIND_SET: ReadonlySet<string> = new Set(ACTIVITY_KINDS);

/**
 * Names of Object.prototype members (`__proto__`, `constructor`, `valueOf`, `toString`…). class-validator's
 * whitelist looks fields up in a plain object, where these names always "exist", so an unknown field
 * called `valueOf` would slip through it; they are refused here instead.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

const MONEY_FIELDS: ReadonlySet<string> = new Set(['amount']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Strings Postgres cannot store (NUL, unpaired surrogates) and prototype keys anywhere in the item.
 * Checked before class-transformer sees the object, which would assign a `__proto__` key as a
 * prototype, and before class-validator's whitelist, which cannot see keys like `valueOf`.
 */
function unsafeContent(value: unknown, path: string, depth: number, out: FieldError[]): void {
  if (out.length >= MAX_ERRORS) return;
  if (typeof value === 'string') {
    if (!isStorableText(value))
      out.push({ path, message: 'must not contain NUL characters or unpaired surrogates' });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_DEPTH) {
    out.push({ path, message: 'is nested too deeply' });
    return;
  }
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (Array.isArray(value)) {
    value.forEach((v, i) => unsafeContent(v, at(String(i)), depth + 1, out));
    return;
  }
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key) || !isStorableText(key)) {
      out.push({ path: at(key), message: 'is not a known field' });
      continue;
    }
    unsafeContent((value as Record<string, unknown>)[key], at(key), depth + 1, out);
  }
}

function flatten(
  errors: readonly ValidationError[],
  kind: ActivityKind,
  parent: string,
  out: FieldError[],
): void {
  for (const e of errors) {
    const path = parent ? `${parent}.${e.property}` : e.property;
    for (const [name, message] of Object.entries(e.constraints ?? {})) {
      const unknownField = parent ? 'is not a known field' : `is not a field of a ${kind} activity`;
      out.push({ path, message: name === 'whitelistValidation' ? unknownField : message });
    }
    if (e.children?.length) flatten(e.children, kind, path, out);
  }
}

function creditsProblems(dto: DealWonDto): FieldError[] {
  const credits = dto.credits;
  if (!credits) return [];
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  credits.forEach((c, i) => {
    if (seen.has(c.repId))
      problems.push({ path: `credits.${i}.repId`, message: 'names a rep that is already credited' });
    seen.add(c.repId);
  });
  if (!sharesSumToOne(credits)) problems.push({ path: 'credits', message: 'shares must sum to exactly 1' });
  return problems;
}

// Compiled on first use, when every DTO module has registered its decorators.
const acceptors = new Map<ActivityKind, DtoAcceptor | undefined>();

function acceptorOf(kind: ActivityKind): DtoAcceptor | undefined {
  if (!acceptors.has(kind)) acceptors.set(kind, compileDtoAcceptor(ACTIVITY_DTOS[kind]));
  return acceptors.get(kind);
}

/** The stored form: known fields only, in a fixed order, money with two fraction digits, shares and probabilities shortest. */
function normalise(dto: Record<string, unknown>): Activity {
  const out: Record<string, unknown> = {};
  for (const field of ACTIVITY_FIELD_ORDER) {
    const value = dto[field];
    // null on an optional field means "not given" (CRMs send it); required fields were checked already.
    if (value === undefined || value === null) continue;
    if (MONEY_FIELDS.has(field)) {
      out[field] = normaliseMoney(value as string);
    } else if (field === 'probability') {
      out[field] = normaliseShare(value as string);
    } else if (field === 'credits') {
      out[field] = (value as DealCredit[]).map((c): DealCredit => ({
        repId: c.repId,
        share: normaliseShare(c.share),
      }));
    } else if (field === 'products') {
      out[field] = (value as DealProduct[]).map((p): DealProduct => {
        const line: DealProduct = { productId: p.productId };
        if (p.quantity !== undefined && p.quantity !== null) line.quantity = p.quantity;
        if (p.amount !== undefined && p.amount !== null) line.amount = normaliseMoney(p.amount);
        return line;
      });
    } else {
      out[field] = value;
    }
  }
  return out as Activity;
}

/**
 * The one validation of an activity, used by the single, batch and import endpoints: class-validator
 * DTOs per kind (unknown fields rejected), then the cross-field rules, then normalisation.
 * Paths are relative to the item (`credits.1.share`); callers add the item index or line.
 */
export function validateActivity(raw: unknown): ActivityValidation {
  if (!isPlainObject(raw)) {
    return { ok: false, errors: [{ path: '', message: 'an activity must be a JSON object' }] };
  }
  const activityId =
    typeof raw['activityId'] === 'string' && isStorableText(raw['activityId'])
      ? raw['activityId']
      : undefined;
  const fail = (errors: FieldError[]): ActivityValidation => ({
    ok: false,
    errors: errors.slice(0, MAX_ERRORS),
    ...(activityId !== undefined ? { activityId } : {}),
  });
  const unsafe: FieldError[] = [];
  unsafeContent(raw, '', 0, unsafe);
  if (unsafe.length > 0) return fail(unsafe);

  const kind = raw['kind'];
  if (typeof kind !== 'string' || !KIND_SET.has(kind)) {
    return fail([{ path: 'kind', message: `kind must be one of: ${ACTIVITY_KINDS.join(', ')}` }]);
  }
  // Most activities are valid: the compiled rules of the kind's DTO accept them without
  // class-transformer and class-validator; anything else gets class-validator's own verdict and messages.
  if (acceptorOf(kind as ActivityKind)?.(raw) === true) {
    const problems = kind === 'deal_won' ? creditsProblems(raw as unknown as DealWonDto) : [];
    return problems.length > 0 ? fail(problems) : { ok: true, activity: normalise(raw) };
  }
  const dto = plainToInstance(ACTIVITY_DTOS[kind as ActivityKind], raw);
  const errors: FieldError[] = [];
  flatten(
    validateSync(dto, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
    }),
    kind as ActivityKind,
    '',
    errors,
  );
  if (errors.length === 0 && dto instanceof DealWonDto) errors.push(...creditsProblems(dto));
  if (errors.length > 0) return fail(errors);
  return { ok: true, activity: normalise(dto as unknown as Record<string, unknown>) };
}
