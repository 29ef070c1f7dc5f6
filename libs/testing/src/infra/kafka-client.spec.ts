import { securityFor } from './kafka-client';

describe('securityFor (the infra admin client)', () => {
  const secured = {
    KAFKA_BROKERS: 'kafka-0.example:9093, kafka-1.example:9093',
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SASL_USERNAME: 'pacer-infra',
    KAFKA_SASL_PASSWORD: 'p',
  };

  it('applies the KAFKA_SECURITY_PROTOCOL family to the KAFKA_BROKERS cluster, through the services loader', () => {
    const security = securityFor(['kafka-0.example:9093', 'kafka-1.example:9093'], secured);
    expect(security?.protocol).toBe('SASL_SSL');
    expect(security?.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'pacer-infra', password: 'p' });
    expect(security?.ssl).toEqual({ rejectUnauthorized: true });
  });

  it('leaves brokers infra starts itself (plaintext, on 127.0.0.1) alone', () => {
    expect(securityFor(['127.0.0.1:9092'], secured)).toBeUndefined();
    expect(securityFor(['127.0.0.1:9092'], { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' })).toBeUndefined();
  });

  it('refuses a half-configured cluster as the services would', () => {
    expect(() => securityFor(['kafka:9093'], { KAFKA_BROKERS: 'kafka:9093', KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' })).toThrow(/KAFKA_SASL_MECHANISM is required/);
  });
});
