import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes JSON lines tagged with the service', () => {
    const out = capture();
    createLogger('kpi-aggregation', 'info', out.stream).info({ tenantId: 't1' }, 'snapshot published');
    expect(out.lines()[0]).toMatchObject({ service: 'kpi-aggregation', tenantId: 't1', msg: 'snapshot published' });
  });

  it('never writes an authorization header or a token', () => {
    const out = capture();
    const logger = createLogger('activity-ingestion', 'info', out.stream);
    logger.info({ req: { headers: { authorization: 'Bearer secret-token' } } }, 'request');
    logger.info({ token: 'another-secret' }, 'minted');
    const text = JSON.stringify(out.lines());
    expect(text).not.toContain('secret-token');
    expect(text).not.toContain('another-secret');
    expect(text).toContain('[redacted]');
  });

  it('respects the level', () => {
    const out = capture();
    createLogger('commission', 'warn', out.stream).info('hidden');
    expect(out.lines()).toEqual([]);
  });
});
