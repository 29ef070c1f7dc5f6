import pino, { DestinationStream, Logger } from 'pino';
import { currentLogContext } from './log-context';
import { currentTraceIds } from './tracing';

export type { Logger } from 'pino';

/**
 * Paths whose values never reach a log line: credentials in request headers, tokens, passwords,
 * secrets and connection strings (a DATABASE_URL carries its password).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'authorization',
  '*.authorization',
  'cookie',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'databaseUrl',
  '*.databaseUrl',
  'DATABASE_URL',
  'PACER_JWT_SECRET',
];

/**
 * JSON logs to stdout (the platform ships them). Authorization headers and tokens are redacted at
 * the logger so no code path can leak them by accident. Every line written inside a request or a
 * consumed message carries that context's fields (`withLogContext`: correlation id, event id, type,
 * tenant) and, while tracing is on, the active trace and span ids.
 */
export function createLogger(
  service: string,
  level = process.env['LOG_LEVEL'] ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => {
      const fields = currentLogContext();
      const ids = currentTraceIds();
      if (!ids) return fields ? { ...fields } : {};
      return { ...fields, traceId: ids.traceId, spanId: ids.spanId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
