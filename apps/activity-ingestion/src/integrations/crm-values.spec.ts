import { crmBoolean, crmDate, crmId, crmInstant, crmMoney, crmProbability } from './crm-values';

describe('reading CRM values into Pacer wire formats', () => {
  it('reads instants with Z, ±HH:MM, Salesforce\'s ±HHMM and epoch milliseconds (number or text)', () => {
    expect(crmInstant('2026-11-24T15:20:00.000+0000')).toBe('2026-11-24T15:20:00.000+00:00');
    expect(crmInstant('2026-11-24T15:20:00.000-0530')).toBe('2026-11-24T15:20:00.000-05:30');
    expect(crmInstant('2026-11-24T15:20:00Z')).toBe('2026-11-24T15:20:00Z');
    expect(crmInstant(1795683600000)).toBe('2026-11-26T09:00:00.000Z');
    expect(crmInstant('1795683600000')).toBe('2026-11-26T09:00:00.000Z');
    expect(crmInstant('yesterday')).toBeUndefined();
    expect(crmInstant('')).toBeUndefined();
  });

  it('reads dates from yyyy-MM-dd, instants and HubSpot\'s UTC-midnight milliseconds', () => {
    expect(crmDate('2026-12-18')).toBe('2026-12-18');
    expect(crmDate('1798675200000')).toBe('2026-12-31');
    expect(crmDate('2026-12-18T23:30:00-02:00')).toBe('2026-12-19');
  });

  it('rounds money half-up to cents and reads Salesforce probabilities as percent', () => {
    expect(crmMoney('48000')).toBe('48000.00');
    expect(crmMoney(48000.5)).toBe('48000.50');
    expect(crmMoney('12.345')).toBe('12.35');
    expect(crmMoney('1e3')).toBeUndefined();
    expect(crmProbability('0.2')).toBe('0.2');
    expect(crmProbability(60, true)).toBe('0.6');
    expect(crmProbability('100.0', true)).toBe('1');
  });

  it('reads ids and Outbound Message booleans', () => {
    expect(crmId(62515)).toBe('62515');
    expect(crmId('  31337 ')).toBe('31337');
    expect(crmId('')).toBeUndefined();
    expect(crmBoolean('true')).toBe(true);
    expect(crmBoolean(false)).toBe(false);
    expect(crmBoolean('yes')).toBeUndefined();
  });
});
