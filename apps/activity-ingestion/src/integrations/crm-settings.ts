import { loadSecretsKey, SecretBox } from '@pacer/config';
import { ProblemException } from '@pacer/http';
import { CrmVendor } from './crm.types';

export const CRM_SETTINGS = Symbol('CRM_SETTINGS');

/** What the CRM integrations read from the environment, once, at boot. */
export interface CrmSettings {
  /** Undefined in production without PACER_SECRETS_KEY(_FILE): the integrations then answer 503. */
  secrets?: SecretBox;
  /**
   * `PACER_INTEGRATIONS_PUBLIC_URL`: the scheme, host and path prefix the CRMs call this service at
   * (HubSpot signs the full URL); without it the URL is rebuilt from Host and X-Forwarded-Proto/-Host.
   */
  publicUrl?: string;
}

/**
 * Reads the CRM settings. Unlike a service whose whole job is secrets, ingestion still starts in
 * production without a secrets key (its activity API does not need one); the integration endpoints
 * answer 503 until a key is configured.
 */
export function readCrmSettings(env: NodeJS.ProcessEnv, production: boolean): CrmSettings {
  const hasKey = Boolean(env['PACER_SECRETS_KEY'] || env['PACER_SECRETS_KEY_FILE']);
  const publicUrl = env['PACER_INTEGRATIONS_PUBLIC_URL']?.trim().replace(/\/+$/, '');
  if (publicUrl !== undefined && publicUrl !== '' && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(publicUrl)) {
    throw new Error('invalid configuration: PACER_INTEGRATIONS_PUBLIC_URL must be an http(s) URL such as https://pacer.example.com');
  }
  return {
    ...(hasKey || !production ? { secrets: new SecretBox(loadSecretsKey(env, production)) } : {}),
    ...(publicUrl ? { publicUrl } : {}),
  };
}

/** The secret box, or the 503 that says why there is none. */
export function secretsOf(settings: CrmSettings): SecretBox {
  if (!settings.secrets) {
    throw new ProblemException(503, 'secrets-key-missing', 'CRM integrations need PACER_SECRETS_KEY or PACER_SECRETS_KEY_FILE on activity-ingestion.');
  }
  return settings.secrets;
}

/** Additional authenticated data of a tenant's CRM secret: a sealed value copied to another row does not open. */
export function secretContext(tenantId: string, vendor: CrmVendor): string {
  return `activity-ingestion:crm:${tenantId}:${vendor}`;
}
