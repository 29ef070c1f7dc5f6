import pino, { DestinationStream, Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON logs to stdout (the platform ships them). Authorization headers and tokens are redacted at
 * the logger so no code path can leak them by accident.
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
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'token', '*.token', 'password', '*.secret'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
