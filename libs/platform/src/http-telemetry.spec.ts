import { correlationIdOf } from './http-telemetry';

const req = (headers: Record<string, string | string[]>) => ({ headers });

describe('correlationIdOf', () => {
  it('takes x-correlation-id, else x-request-id, else makes one', () => {
    expect(correlationIdOf(req({ 'x-correlation-id': 'abc-123', 'x-request-id': 'r-1' }))).toBe('abc-123');
    expect(correlationIdOf(req({ 'x-request-id': 'r-1' }))).toBe('r-1');
    expect(correlationIdOf(req({}))).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it('refuses ids that are unsafe to log or echo, and tokens', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOiJ0MSJ9.c2lnbmF0dXJl';
    for (const bad of ['has space', 'new\nline', 'x'.repeat(129), jwt, '']) {
      const id = correlationIdOf(req({ 'x-correlation-id': bad }));
      expect(id).not.toBe(bad);
      expect(id).toHaveLength(36);
    }
    expect(correlationIdOf(req({ 'x-correlation-id': jwt, 'x-request-id': 'r-2' }))).toBe('r-2');
  });
});
