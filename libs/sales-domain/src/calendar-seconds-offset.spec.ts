import { parseInstant, periodsContaining } from './calendar';

// Liberia kept local mean time (UTC-00:44:30) until 1972: an offset RFC 3339 cannot write.
const MONROVIA = { timezone: 'Africa/Monrovia', weekStartsOn: 1, fiscalYearStartMonth: 1 };

describe('a tenant zone whose offset has seconds (Africa/Monrovia in 1970)', () => {
  const [day] = periodsContaining('1970-01-01T00:00:00Z', MONROVIA);

  it('writes the local-midnight boundaries in UTC, exactly, so they stay RFC 3339 instants', () => {
    expect(day).toMatchObject({ key: '1969-12-31', start: '1969-12-31T00:44:30Z', end: '1970-01-01T00:44:30Z' });
  });

  it('tiles time: the day after starts where this one ends', () => {
    const [next] = periodsContaining(day?.end ?? '', MONROVIA);
    expect(next?.key).toBe('1970-01-01');
    expect(parseInstant(next?.start ?? '').toMillis()).toBe(parseInstant(day?.end ?? '').toMillis());
  });
});
