import { bool, cleanEnv, port, str, url } from 'envalid';
import { brokerList, ConfigError, KAFKA_SECURITY_VARIABLES, KafkaSecurity, loadKafkaSecurity } from '@pacer/config';

/** The services the browser may reach through `/api/{service}/...` (SPEC §1, notifications included). */
export const PROXIED_SERVICES = ['activity-ingestion', 'sprint-planning', 'kpi-aggregation', 'commission', 'notifications'] as const;
export type ProxiedService = (typeof PROXIED_SERVICES)[number];

const DEFAULT_SERVICE_PORTS: Record<ProxiedService, number> = {
  'activity-ingestion': 3001,
  'sprint-planning': 3002,
  'kpi-aggregation': 3003,
  commission: 3004,
  notifications: 3005,
};

/** `PACER_ACTIVITY_INGESTION_URL` etc.: where the BFF forwards each service's calls. */
export function serviceUrlVariable(service: ProxiedService): string {
  return `PACER_${service.toUpperCase().replace(/-/g, '_')}_URL`;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  audience?: string;
  /** Claim names that carry the tenant, the roles and the repId (SPEC §7, configurable per issuer). */
  claims: { tenant: string; roles: string; repId: string; teamId: string };
  /** An http:// issuer (a local identity provider, tests); never in production. */
  allowInsecureIssuer: boolean;
}

export interface WebConfig {
  production: boolean;
  development: boolean;
  port: number;
  /** Where the browser reaches this server (OIDC redirect URI base); derived from the request when unset. */
  publicUrl?: string;
  /**
   * Where the CRMs reach activity-ingestion's webhook routes (`PACER_INTEGRATIONS_PUBLIC_URL`, the same
   * variable ingestion reads), shown to admins as the URL to paste into HubSpot or Salesforce.
   * Development falls back to the activity-ingestion URL this server forwards to.
   */
  integrationsPublicUrl?: string;
  sessionSecret: string;
  sessionTtlSeconds: number;
  services: Record<ProxiedService, string>;
  kafka: { brokers: string[]; clientId: string; topicPrefix: string; security: KafkaSecurity };
  jwt: { secret?: string; publicKey?: string; issuer?: string };
  oidc?: OidcConfig;
  /** The built browser app (index.html and assets). */
  staticDir: string;
  /** The tenant the development sign-in offers. */
  demoTenant: string;
  logLevel: string;
}


const DEV_SESSION_SECRET = 'pacer-web-dev-session-secret-change-me';

/**
 * Reads and validates the web server's environment once, at boot; a bad value stops it with a message
 * naming the variable, as libs/config does for the services.
 */
export function loadWebConfig(source: NodeJS.ProcessEnv = process.env, defaults: { staticDir: string }): WebConfig {
  const serviceSpecs = Object.fromEntries(
    PROXIED_SERVICES.map((s) => [serviceUrlVariable(s), url({ default: `http://127.0.0.1:${DEFAULT_SERVICE_PORTS[s]}` })]),
  );
  const env = cleanEnv(
    source,
    {
      NODE_ENV: str({ choices: ['development', 'test', 'production'], default: 'development' }),
      PORT: port({ default: 3000 }),
      PACER_WEB_PUBLIC_URL: url({ default: undefined, desc: 'https://pacer.example.com: base of the OIDC redirect URI' }),
      PACER_INTEGRATIONS_PUBLIC_URL: url({ default: undefined, desc: 'https://pacer.example.com/ingest: where CRMs post their webhooks' }),
      PACER_WEB_SESSION_SECRET: str({ default: undefined, desc: 'Encrypts the session cookie; at least 32 characters' }),
      PACER_WEB_SESSION_TTL_SECONDS: str({ default: '43200' }),
      PACER_WEB_STATIC_DIR: str({ default: defaults.staticDir }),
      PACER_WEB_DEMO_TENANT: str({ default: 'demo' }),
      KAFKA_BROKERS: brokerList({ default: ['127.0.0.1:9092'] }),
      KAFKA_CLIENT_ID: str({ default: 'pacer-web' }),
      PACER_TOPIC_PREFIX: str({ default: '' }),
      PACER_JWT_SECRET: str({ default: undefined }),
      PACER_JWT_PUBLIC_KEY: str({ default: undefined }),
      PACER_JWT_ISSUER: str({ default: undefined }),
      PACER_OIDC_ISSUER: url({ default: undefined }),
      PACER_OIDC_CLIENT_ID: str({ default: undefined }),
      PACER_OIDC_CLIENT_SECRET: str({ default: undefined }),
      PACER_OIDC_AUDIENCE: str({ default: undefined }),
      PACER_OIDC_CLAIM_TENANT: str({ default: 'tid' }),
      PACER_OIDC_CLAIM_ROLES: str({ default: 'roles' }),
      PACER_OIDC_CLAIM_REP_ID: str({ default: 'repId' }),
      PACER_OIDC_CLAIM_TEAM_ID: str({ default: 'teamId' }),
      PACER_OIDC_DISCOVERY_INSECURE: bool({ default: false, desc: 'Allow an http:// issuer (tests and local identity providers only)' }),
      LOG_LEVEL: str({ choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' }),
      ...serviceSpecs,
    },
    {
      reporter: ({ errors }) => {
        const entries = Object.entries(errors as Record<string, Error | undefined>);
        if (entries.length > 0) {
          const detail = entries.map(([n, err]) => `${n}: ${err?.message ?? 'invalid'}`).join('; ');
          throw new ConfigError(`invalid configuration for web: ${detail}`);
        }
      },
    },
  );
  const production = env.NODE_ENV === 'production';
  const fail = (message: string): never => {
    throw new ConfigError(`invalid configuration for web: ${message}`);
  };
  // A development default would let anyone who read this file forge sessions, so only dev/test get one.
  const sessionSecret = env.PACER_WEB_SESSION_SECRET ?? (production ? fail('PACER_WEB_SESSION_SECRET is required in production') : DEV_SESSION_SECRET);
  if (sessionSecret.length < 32) fail('PACER_WEB_SESSION_SECRET must be at least 32 characters');
  const ttl = Number(env.PACER_WEB_SESSION_TTL_SECONDS);
  if (!Number.isInteger(ttl) || ttl < 60) fail('PACER_WEB_SESSION_TTL_SECONDS must be an integer of at least 60');
  if (!/^[a-zA-Z0-9._-]*$/.test(env.PACER_TOPIC_PREFIX)) {
    fail("PACER_TOPIC_PREFIX may hold only letters, digits, '.', '_' and '-'");
  }
  let oidc: OidcConfig | undefined;
  if (env.PACER_OIDC_ISSUER) {
    if (!env.PACER_OIDC_CLIENT_ID) fail('PACER_OIDC_CLIENT_ID is required when PACER_OIDC_ISSUER is set');
    oidc = {
      issuer: env.PACER_OIDC_ISSUER,
      clientId: env.PACER_OIDC_CLIENT_ID as string,
      ...(env.PACER_OIDC_CLIENT_SECRET ? { clientSecret: env.PACER_OIDC_CLIENT_SECRET } : {}),
      ...(env.PACER_OIDC_AUDIENCE ? { audience: env.PACER_OIDC_AUDIENCE } : {}),
      claims: {
        tenant: env.PACER_OIDC_CLAIM_TENANT,
        roles: env.PACER_OIDC_CLAIM_ROLES,
        repId: env.PACER_OIDC_CLAIM_REP_ID,
        teamId: env.PACER_OIDC_CLAIM_TEAM_ID,
      },
      allowInsecureIssuer: env.PACER_OIDC_DISCOVERY_INSECURE && !production,
    };
  }
  if (production && !oidc) fail('PACER_OIDC_ISSUER is required in production (the development sign-in is off there)');
  const services = Object.fromEntries(
    PROXIED_SERVICES.map((s) => [s, String((env as unknown as Record<string, unknown>)[serviceUrlVariable(s)]).replace(/\/+$/, '')]),
  ) as Record<ProxiedService, string>;
  return {
    production,
    development: env.NODE_ENV === 'development',
    port: env.PORT,
    ...(env.PACER_WEB_PUBLIC_URL ? { publicUrl: env.PACER_WEB_PUBLIC_URL.replace(/\/+$/, '') } : {}),
    ...(env.PACER_INTEGRATIONS_PUBLIC_URL
      ? { integrationsPublicUrl: env.PACER_INTEGRATIONS_PUBLIC_URL.replace(/\/+$/, '') }
      : env.NODE_ENV === 'development'
        ? { integrationsPublicUrl: services['activity-ingestion'] }
        : {}),
    sessionSecret,
    sessionTtlSeconds: ttl,
    services,
    kafka: { brokers: env.KAFKA_BROKERS, clientId: env.KAFKA_CLIENT_ID, topicPrefix: env.PACER_TOPIC_PREFIX, security: loadKafkaSecurity(source) },
    jwt: { secret: env.PACER_JWT_SECRET, publicKey: env.PACER_JWT_PUBLIC_KEY, issuer: env.PACER_JWT_ISSUER },
    ...(oidc ? { oidc } : {}),
    staticDir: env.PACER_WEB_STATIC_DIR,
    demoTenant: env.PACER_WEB_DEMO_TENANT,
    logLevel: env.LOG_LEVEL,
  };
}

/** Every variable the web server reads (documented in .env.example; a spec checks it). */
export const WEB_CONFIG_VARIABLES = [
  'NODE_ENV',
  'PORT',
  'PACER_WEB_PUBLIC_URL',
  'PACER_INTEGRATIONS_PUBLIC_URL',
  'PACER_WEB_SESSION_SECRET',
  'PACER_WEB_SESSION_TTL_SECONDS',
  'PACER_WEB_STATIC_DIR',
  'PACER_WEB_DEMO_TENANT',
  'KAFKA_BROKERS',
  'KAFKA_CLIENT_ID',
  'PACER_TOPIC_PREFIX',
  ...KAFKA_SECURITY_VARIABLES,
  'PACER_JWT_SECRET',
  'PACER_JWT_PUBLIC_KEY',
  'PACER_JWT_ISSUER',
  'PACER_OIDC_ISSUER',
  'PACER_OIDC_CLIENT_ID',
  'PACER_OIDC_CLIENT_SECRET',
  'PACER_OIDC_AUDIENCE',
  'PACER_OIDC_CLAIM_TENANT',
  'PACER_OIDC_CLAIM_ROLES',
  'PACER_OIDC_CLAIM_REP_ID',
  'PACER_OIDC_CLAIM_TEAM_ID',
  'PACER_OIDC_DISCOVERY_INSECURE',
  'LOG_LEVEL',
  ...PROXIED_SERVICES.map(serviceUrlVariable),
] as const;
