import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import * as fc from 'fast-check';
import { ACTIVITY_KINDS, ActivityKind } from '@pacer/contracts';
import { sampleActivity } from '../../test/activity-samples';
import { ACTIVITY_DTOS } from './activity.dto';
import { ACTIVITY_FIELD_ORDER } from './activity-fields';
import { compileDtoAcceptor } from './dto-acceptor';

function classValidatorErrors(kind: ActivityKind, raw: Record<string, unknown>): number {
  return validateSync(plainToInstance(ACTIVITY_DTOS[kind], raw), {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
  }).length;
}

// Values near the edges of the activity rules: ids, instants in and out of the window, money, enums.
const value = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    '',
    'x',
    'x'.repeat(128),
    'x'.repeat(129),
    'a\u0001b',
    0,
    -1,
    1,
    1.5,
    2 ** 31,
    true,
    '2026-11-27T09:30:00Z',
    '2026-11-27T09:30:00',
    '2026-02-30T09:30:00Z',
    '1969-12-31T23:59:59Z',
    '2999-01-01T00:00:00Z',
    '2026-12-15',
    '25000',
    '25000.505',
    '-1',
    '0',
    '0.5',
    'USD',
    'ZZZ',
    'connected',
    'busy',
    ...ACTIVITY_KINDS,
  ),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.constant({}),
  fc.constant([]),
  fc.constant([{ repId: 'rep-1', share: '1' }]),
);
const key = fc.constantFrom(...ACTIVITY_FIELD_ORDER, 'subjectLine', 'notes');

describe('compileDtoAcceptor: a shortcut that only accepts what class-validator accepts', () => {
  it.each(ACTIVITY_KINDS)('accepts the valid %s sample, as class-validator does', (kind) => {
    const accept = compileDtoAcceptor(ACTIVITY_DTOS[kind]);
    const raw = sampleActivity(kind);
    expect(classValidatorErrors(kind, raw)).toBe(0);
    // deal_won's sample has credits and products: nested DTOs are left to class-validator.
    expect(accept?.(raw)).toBe(kind !== 'deal_won');
  });

  it.each(ACTIVITY_KINDS)('%s: every accepted mutation is valid for class-validator', (kind) => {
    const accept = compileDtoAcceptor(ACTIVITY_DTOS[kind]);
    if (!accept) throw new Error(`no acceptor for ${kind}`);
    const mutation = fc.record({
      drop: fc.array(key, { maxLength: 2 }),
      set: fc.dictionary(key, value, { maxKeys: 3 }),
    });
    fc.assert(
      fc.property(mutation, ({ drop, set }) => {
        const raw: Record<string, unknown> = { ...sampleActivity(kind), ...set };
        for (const k of drop) delete raw[k];
        if (accept(raw)) expect(classValidatorErrors(kind, raw)).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it('defers on unknown keys, objects and arrays without deciding', () => {
    const accept = compileDtoAcceptor(ACTIVITY_DTOS.email_sent);
    const sample = sampleActivity('email_sent');
    expect(accept?.({ ...sample, subjectLine: 'Hi' })).toBe(false);
    expect(accept?.({ ...sample, repId: { id: 'rep-1' } })).toBe(false);
    expect(accept?.({ ...sample, repId: ['rep-1'] })).toBe(false);
    expect(accept?.({ ...sample, occurredAt: '2999-01-01T00:00:00Z' })).toBe(false);
  });
});
