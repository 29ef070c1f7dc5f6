export * from './config';
export * from './secret-box';
export * from './database-connection';
export * from './kafka-security';
export { readSecretVariable } from './env-secret';
export type { TlsClientOptions } from './env-secret';
export * from './oidc-config';
