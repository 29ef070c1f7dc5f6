import { CalendarError } from './calendar';
import { instantMillis } from './input-dates';

// 09:30 at +02:00 is 07:30 UTC; 2026-03-01T07:30:00Z is 1772350200000 ms after the epoch.
describe('instantMillis', () => {
  it('reads an RFC 3339 instant as a moment, whatever its offset or precision', () => {
    expect(instantMillis('2026-03-01T09:30:00+02:00')).toBe(1772350200000);
    expect(instantMillis('2026-03-01T07:30:00Z')).toBe(1772350200000);
    expect(instantMillis('2026-03-01T07:30:00.123456789Z')).toBe(1772350200123);
  });

  it('refuses text that is no instant', () => {
    expect(() => instantMillis('next tuesday')).toThrow(CalendarError);
  });
});
