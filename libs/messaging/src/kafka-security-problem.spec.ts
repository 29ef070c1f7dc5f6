import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { loadKafkaSecurity } from '@pacer/config';
import { kafkaSecurityProblem } from './kafka';

// The error shapes kafkajs 2.2 produces against a real broker (seen against `npm run infra:secure`).
function retried(cause: Error): Error {
  return new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 0, retryTime: 300 });
}
function connectionError(message: string, code?: string): Error {
  return new KafkaJSConnectionError(`Connection error: ${message}`, { broker: '127.0.0.1:29092', code });
}

describe('kafkaSecurityProblem', () => {
  const security = loadKafkaSecurity({
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SASL_USERNAME: 'pacer',
    KAFKA_SASL_PASSWORD: 'wrong',
  });

  it('names the user, the mechanism and the variables when the broker refuses the credentials', () => {
    // The typings declare no constructor arguments; the runtime class takes the message like every KafkaJSError.
    const Sasl = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;
    const error = new Sasl('SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials');
    const problem = kafkaSecurityProblem(error, security);
    expect(problem).toMatch(/^Kafka refused the SASL credentials \(SCRAM-SHA-512 as pacer\): .*invalid credentials; check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD\(_FILE\)/);
    expect(problem).not.toContain('wrong');
  });

  it('points at KAFKA_SSL_CA when the broker certificate is not trusted, through the retry wrapper', () => {
    const problem = kafkaSecurityProblem(retried(connectionError('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')), security);
    expect(problem).toMatch(/TLS certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate\); KAFKA_SSL_CA/);
  });

  it('tells a host name mismatch from an untrusted chain', () => {
    const error = connectionError("Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: ", 'ERR_TLS_CERT_ALTNAME_INVALID');
    expect(kafkaSecurityProblem(retried(error), security)).toMatch(/does not name the host .*KAFKA_SSL_VERIFY_HOSTNAME=false/);
  });

  it('blames the client certificate when the broker requires one and refuses it', () => {
    const error = connectionError('error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:SSL alert number 42', 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE');
    expect(kafkaSecurityProblem(retried(error), security)).toMatch(/refused the client certificate .*KAFKA_SSL_CERT\(_FILE\)/);
  });

  it('recognises TLS spoken to a plaintext listener', () => {
    const error = connectionError('Client network socket disconnected before secure TLS connection was established', 'ECONNRESET');
    expect(kafkaSecurityProblem(retried(error), security)).toMatch(/TLS handshake with Kafka failed .*speaks SASL_SSL/);
  });

  it('leaves outages alone: retrying may fix them', () => {
    expect(kafkaSecurityProblem(retried(connectionError('connect ECONNREFUSED 127.0.0.1:9092', 'ECONNREFUSED')), security)).toBeUndefined();
    expect(kafkaSecurityProblem(new Error('Connection timeout'), security)).toBeUndefined();
    expect(kafkaSecurityProblem(undefined)).toBeUndefined();
  });
});
