import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { Principal } from '@pacer/auth';
import { SecretBoxError } from '@pacer/config';
import { ProblemException, rawBodyOf } from '@pacer/http';
import { Logger } from '@pacer/observability';
import { LOGGER } from '@pacer/platform';
import { isId } from '@pacer/sales-domain';
import { CrmIntegrationRepository, IntegrationRow } from './crm-integration.repository';
import { CRM_SETTINGS, CrmSettings, secretContext, secretsOf } from './crm-settings';
import { CrmVendor } from './crm.types';
import { OutboundMessage, parseOutboundMessage } from './salesforce.mapper';
import { constantTimeEqual, verifyHubspotV3 } from './webhook-auth';

/** Header a Salesforce Flow or Apex callout sends the tenant's shared secret in. */
export const SALESFORCE_SECRET_HEADER = 'x-pacer-webhook-secret';

/** What the guard proved, for the handler. */
export interface CrmWebhookRequest extends Request {
  principal?: Principal;
  crm?: { vendor: CrmVendor; integration: IntegrationRow; outbound?: Extract<OutboundMessage, { ok: true }> };
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Authenticates a CRM webhook (the routes are exempt from the bearer guard): HubSpot by its v3
 * signature and timestamp, a Salesforce callout by the tenant's secret header, a Salesforce Outbound
 * Message by its allow-listed OrganizationId. On success the request acts as the CRM with role
 * `ingest` in the tenant of the path, so the tenant's rate limit applies after it.
 */
@Injectable()
export class CrmWebhookGuard implements CanActivate {
  constructor(
    private readonly repository: CrmIntegrationRepository,
    @Inject(CRM_SETTINGS) private readonly settings: CrmSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<CrmWebhookRequest>();
    const vendor: CrmVendor = req.path.includes('/integrations/hubspot/') ? 'hubspot' : 'salesforce';
    const tenantId = String(req.params['tenantId'] ?? '');
    const body = rawBodyOf(req) ?? Buffer.alloc(0);
    const refused = (detail: string): ProblemException => new ProblemException(401, 'unauthorized', detail);
    // Guards run before the input guard checks path parameters; this one reads the database with it.
    if (!isId(tenantId)) throw ProblemException.validation([{ path: 'tenantId', message: 'tenantId must be an id' }], 'A path parameter is not valid.');
    const integration = await this.repository.find(tenantId, vendor);

    if (vendor === 'salesforce' && /xml/.test(header(req, 'content-type') ?? '')) {
      const message = parseOutboundMessage(body.toString('utf8'));
      if (!message.ok) throw ProblemException.validation([{ path: '', message: message.message }], 'Not a Salesforce Outbound Message.');
      if (!integration?.accountIds.includes(message.organizationId)) {
        throw new ProblemException(403, 'organization-not-allowed', `Organization ${message.organizationId} may not post to this tenant.`);
      }
      req.crm = { vendor, integration, outbound: message };
      req.principal = this.principal(tenantId, `salesforce:${message.organizationId}`);
      return true;
    }

    const secrets = secretsOf(this.settings);
    const wrong = vendor === 'hubspot' ? "The request is not signed with this tenant's HubSpot client secret." : "The request does not carry this tenant's Salesforce webhook secret.";
    if (!integration?.secretSealed) throw refused(wrong);
    let secret: string;
    try {
      secret = secrets.open(integration.secretSealed, secretContext(tenantId, vendor));
    } catch (e) {
      if (!(e instanceof SecretBoxError)) throw e;
      // The key changed since the secret was stored: an operator problem, not the caller's.
      this.logger.error({ tenantId, vendor, err: e }, 'stored CRM secret does not open with the configured PACER_SECRETS_KEY');
      throw new ProblemException(503, 'secret-unreadable', 'The stored CRM secret cannot be read; an admin must set it again.');
    }
    if (vendor === 'hubspot') {
      const verdict = verifyHubspotV3({
        secret,
        method: req.method,
        uri: this.uriOf(req),
        body,
        signature: header(req, 'x-hubspot-signature-v3'),
        timestamp: header(req, 'x-hubspot-request-timestamp'),
        now: Date.now(),
      });
      if (!verdict.ok) throw refused(`${wrong} (${verdict.reason})`);
      req.principal = this.principal(tenantId, 'hubspot');
    } else {
      const given = header(req, SALESFORCE_SECRET_HEADER);
      if (given === undefined || !constantTimeEqual(secret, given)) throw refused(wrong);
      req.principal = this.principal(tenantId, 'salesforce');
    }
    req.crm = { vendor, integration };
    return true;
  }

  private principal(tenantId: string, subject: string): Principal {
    return { subject, tenantId, roles: ['ingest'], actingAs: 'ingest' };
  }

  /** The URL HubSpot called: the configured public URL, or scheme and host as the request (or its proxy) says. */
  private uriOf(req: Request): string {
    if (this.settings.publicUrl) return `${this.settings.publicUrl}${req.originalUrl}`;
    const proto = header(req, 'x-forwarded-proto')?.split(',')[0]?.trim() || req.protocol;
    const host = header(req, 'x-forwarded-host')?.split(',')[0]?.trim() || header(req, 'host') || '';
    return `${proto}://${host}${req.originalUrl}`;
  }
}
