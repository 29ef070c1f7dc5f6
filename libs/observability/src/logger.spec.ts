import { Writable } from 'node:stream';
import { withLogContext } from './log-context';
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

  it('keeps the correlation, tenant, event and trace fields while redacting credentials on the same line', () => {
    const out = capture();
    const logger = createLogger('kpi-aggregation', 'info', out.stream);
    withLogContext({ correlationId: 'corr-1', eventId: 'evt-1', eventType: 'pacer.activity.logged', tenantId: 't1' }, () =>
      logger.info(
        {
          traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
          req: { headers: { authorization: 'Bearer secret-token', cookie: 'session=secret-cookie' } },
          headers: { authorization: 'Bearer header-token', cookie: 'sid=header-cookie' },
          config: { databaseUrl: 'postgres://u:db-password@db/x', secret: 'jwt-secret' },
          password: 'plain-password',
          secret: 'top-secret',
          accessToken: 'access-token-value',
        },
        'handled',
      ),
    );
    const [line] = out.lines();
    expect(line).toMatchObject({
      correlationId: 'corr-1',
      eventId: 'evt-1',
      eventType: 'pacer.activity.logged',
      tenantId: 't1',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    const text = JSON.stringify(line);
    for (const leaked of ['secret-token', 'secret-cookie', 'header-token', 'header-cookie', 'db-password', 'jwt-secret', 'plain-password', 'top-secret', 'access-token-value']) {
      expect(text).not.toContain(leaked);
    }
  });

  it('adds the fields of the enclosing log context, nested contexts on top, explicit fields winning', () => {
    const out = capture();
    const logger = createLogger('commission', 'info', out.stream);
    withLogContext({ correlationId: 'outer', tenantId: 't1' }, () =>
      withLogContext({ eventId: 'e1' }, () => logger.info({ tenantId: 't2' }, 'inner')),
    );
    logger.info('outside');
    const [inner, outside] = out.lines();
    expect(inner).toMatchObject({ correlationId: 'outer', eventId: 'e1', tenantId: 't2' });
    expect(outside).not.toHaveProperty('correlationId');
  });

  it('respects the level', () => {
    const out = capture();
    createLogger('commission', 'warn', out.stream).info('hidden');
    expect(out.lines()).toEqual([]);
  });
});
