import { createServer } from 'node:net';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { Client } from 'pg';
import { QueryFailedError } from 'typeorm';
import { dependencyOutage, outageRetryAfterSeconds } from './outage';

function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

describe('dependencyOutage', () => {
  it('classifies a refused Postgres connection (a real one) as postgres unavailable', async () => {
    const client = new Client({ host: '127.0.0.1', port: await closedPort(), user: 'nobody', database: 'none' });
    const error = await client.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(dependencyOutage(error)).toMatchObject({ dependency: 'postgres' });
  });

  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection due to crash of another server process'],
    ['57P03', 'the database system is starting up'],
    ['08006', 'connection failure'],
    ['08001', 'could not connect'],
    ['53300', 'sorry, too many clients already'],
  ])('classifies SQLSTATE %s as postgres unavailable, also inside a TypeORM QueryFailedError', (code, message) => {
    expect(dependencyOutage(pgError(code, message))).toMatchObject({ dependency: 'postgres' });
    const wrapped = new QueryFailedError('SELECT 1', [], pgError(code, message));
    expect(dependencyOutage(wrapped)).toMatchObject({ dependency: 'postgres' });
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Cannot use a pool after calling end on the pool',
  ])('classifies the node-postgres message "%s" as postgres unavailable', (message) => {
    expect(dependencyOutage(new Error(message))).toMatchObject({ dependency: 'postgres' });
  });

  it.each([
    ['23505', 'duplicate key value violates unique constraint'],
    ['22P02', 'invalid input syntax for type uuid'],
    ['40P01', 'deadlock detected'],
    ['42P01', 'relation "x" does not exist'],
  ])('does not classify SQLSTATE %s (a statement problem) as an outage', (code, message) => {
    expect(dependencyOutage(new QueryFailedError('SELECT 1', [], pgError(code, message)))).toBeUndefined();
  });

  it('classifies kafkajs connection errors, also behind "retries exceeded"', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092', { broker: '127.0.0.1:9092', code: 'ECONNREFUSED' });
    expect(dependencyOutage(refused)).toMatchObject({ dependency: 'kafka' });
    expect(dependencyOutage(new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 1000 }))).toMatchObject({ dependency: 'kafka' });
    const leader = new KafkaJSProtocolError({ message: 'no leader', type: 'LEADER_NOT_AVAILABLE', code: 5, retriable: true } as unknown as string);
    expect(dependencyOutage(leader)).toMatchObject({ dependency: 'kafka' });
  });

  it('does not classify application errors, kafkajs request errors or non-errors', () => {
    expect(dependencyOutage(new Error('boom'))).toBeUndefined();
    expect(dependencyOutage(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBeUndefined();
    const tooLarge = new KafkaJSProtocolError({ message: 'too large', type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false } as unknown as string);
    expect(dependencyOutage(tooLarge)).toBeUndefined();
    expect(dependencyOutage(undefined)).toBeUndefined();
    expect(dependencyOutage('ECONNREFUSED')).toBeUndefined();
  });

  it('survives a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(dependencyOutage(a)).toBeUndefined();
  });
});

describe('outageRetryAfterSeconds', () => {
  it('stays within 1..5 seconds at both ends of the random range', () => {
    expect(outageRetryAfterSeconds(() => 0)).toBe(1);
    expect(outageRetryAfterSeconds(() => 0.9999999)).toBe(5);
    for (let i = 0; i < 100; i++) expect(outageRetryAfterSeconds()).toBeGreaterThanOrEqual(1);
  });
});
