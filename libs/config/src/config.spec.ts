import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('gives each service its own port and database by default', () => {
    const c = loadConfig('kpi-aggregation', {});
    expect(c.port).toBe(3003);
    expect(c.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/pacer_kpi_aggregation');
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.kafka.groupId).toBe('pacer-kpi-aggregation');
    expect(c.topicPartitions).toBe(6);
  });

  it('parses a broker list', () => {
    const c = loadConfig('commission', { KAFKA_BROKERS: 'a:9092, b:9093' });
    expect(c.kafka.brokers).toEqual(['a:9092', 'b:9093']);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig('commission', { PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig('commission', { KAFKA_BROKERS: 'nohostport' })).toThrow(/KAFKA_BROKERS/);
    expect(() => loadConfig('commission', { PACER_TOPIC_PARTITIONS: '0' })).toThrow(/PACER_TOPIC_PARTITIONS/);
  });

  it('refuses to start in production without a JWT secret or key', () => {
    expect(() => loadConfig('activity-ingestion', { NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig('activity-ingestion', { NODE_ENV: 'production' })).toThrow(/PACER_JWT_SECRET/);
    expect(loadConfig('activity-ingestion', { NODE_ENV: 'production', PACER_JWT_SECRET: 's' }).production).toBe(true);
  });

  it('leaves tracing off by default and reads the standard OTLP endpoint variable', () => {
    const off = loadConfig('kpi-aggregation', {});
    expect(off.tracing).toBe(false);
    expect(off.otlpEndpoint).toBe('http://localhost:4318');
    const on = loadConfig('kpi-aggregation', { PACER_TRACING: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://tempo.observability:4318' });
    expect(on).toMatchObject({ tracing: true, otlpEndpoint: 'http://tempo.observability:4318' });
    expect(() => loadConfig('kpi-aggregation', { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('bounds a graceful shutdown', () => {
    expect(loadConfig('commission', {}).shutdownTimeoutMs).toBe(50_000);
    expect(loadConfig('commission', { PACER_SHUTDOWN_TIMEOUT_MS: '20000' }).shutdownTimeoutMs).toBe(20_000);
    expect(() => loadConfig('commission', { PACER_SHUTDOWN_TIMEOUT_MS: '0' })).toThrow(/PACER_SHUTDOWN_TIMEOUT_MS/);
  });

  it('remembers consumed event ids for a week unless told otherwise, in whole hours', () => {
    expect(loadConfig('commission', {}).consumer.dedupeRetentionHours).toBe(168);
    expect(loadConfig('commission', { PACER_DEDUPE_RETENTION_HOURS: '720' }).consumer.dedupeRetentionHours).toBe(720);
    for (const bad of ['0', '-1', '1.5', 'a week']) {
      expect(() => loadConfig('commission', { PACER_DEDUPE_RETENTION_HOURS: bad })).toThrow(/PACER_DEDUPE_RETENTION_HOURS/);
    }
  });

  it('lists every variable it reads', () => {
    expect(CONFIG_VARIABLES).toContain('DATABASE_URL');
    expect(new Set(CONFIG_VARIABLES).size).toBe(CONFIG_VARIABLES.length);
  });
});
