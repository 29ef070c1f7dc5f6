import { Kafka, logLevel, LogEntry } from 'kafkajs';
import { Logger } from '@pacer/observability';

// kafkajs warns about its v2 partitioner change on every producer; Pacer always passes the
// Java-compatible partitioner explicitly, so the warning is noise.
process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose logs go through the service's JSON logger. */
export function createKafka(options: { brokers: string[]; clientId: string; logger: Logger }): Kafka {
  const { logger } = options;
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    // kafkajs logs every rebalance and reconnect at INFO; those belong at debug in our logs.
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 10 },
    logCreator:
      () =>
      ({ level, log, namespace }: LogEntry) => {
        const { message, ...rest } = log;
        logger[LEVELS[level] ?? 'info']({ kafka: namespace, ...rest }, message);
      },
  });
}
