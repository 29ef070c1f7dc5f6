import { Id, Instant, LocalDate, Money, Share } from '@pacer/contracts';
import { INPUT_LIMITS, INPUT_PATTERNS } from './input-limits';

// The published JSON Schemas and the HTTP checks read the same constants; this pins that down.
describe('the input limits are the JSON Schemas limits', () => {
  it('ids', () => {
    expect(Id.minLength).toBe(INPUT_LIMITS.idMinLength);
    expect(Id.maxLength).toBe(INPUT_LIMITS.idMaxLength);
    expect(INPUT_LIMITS.idMaxLength).toBe(128);
  });

  it('patterns', () => {
    expect(Money.pattern).toBe(INPUT_PATTERNS.money.source);
    expect(Share.pattern).toBe(INPUT_PATTERNS.share.source);
    expect(Instant.pattern).toBe(INPUT_PATTERNS.instant.source);
    expect(LocalDate.pattern).toBe(INPUT_PATTERNS.localDate.source);
  });
});
