import { Controller, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { AuthenticatedBySignature } from '@pacer/auth';
import { ProblemException, TakesRawBody } from '@pacer/http';
import { TenantThrottlerGuard } from '@pacer/platform';
import { CrmIntakeService, DeliverySummary } from './crm-intake.service';
import { CrmWebhookGuard, CrmWebhookRequest, SALESFORCE_SECRET_HEADER } from './crm-webhook.guard';
import { DeliveryParse } from './crm-item';
import { DeliverySummaryDto } from './integrations.dto';
import { hubspotItems } from './hubspot.mapper';
import { outboundAck, salesforceJsonItems, salesforceOutboundItems } from './salesforce.mapper';

function itemsOrProblem(parsed: DeliveryParse): NonNullable<Extract<DeliveryParse, { ok: true }>['items']> {
  if (parsed.ok) return parsed.items;
  const foreign = parsed.errors.find((e) => /is not allowed for this tenant/.test(e.message));
  if (foreign) throw new ProblemException(403, 'account-not-allowed', `The CRM account may not post to this tenant: ${foreign.message}.`, { errors: parsed.errors });
  throw ProblemException.validation(parsed.errors, 'The CRM payload cannot be read.');
}

/**
 * The CRM webhooks of SPEC §9. No bearer token: each request is authenticated by `CrmWebhookGuard`,
 * then counted against the tenant's rate limit. A delivery is answered 200 once everything in it is
 * recorded, ignored or listed as an exception, so the CRM does not send it again; a 503 (database or
 * Kafka down) makes it retry.
 */
@ApiTags('integrations')
@UseGuards(CrmWebhookGuard, TenantThrottlerGuard)
@ApiResponse({ status: 401, description: 'Not signed with the tenant\'s secret, or a stale HubSpot timestamp (problem+json).' })
@ApiResponse({ status: 403, description: 'The CRM account (HubSpot portal, Salesforce organization) is not allowed for this tenant.' })
@ApiResponse({ status: 429, description: "The tenant's rate limit is exceeded; see Retry-After." })
@Controller('v1/integrations')
export class CrmWebhooksController {
  constructor(private readonly intake: CrmIntakeService) {}

  @Post('hubspot/:tenantId')
  @AuthenticatedBySignature()
  @TakesRawBody(['application/json'])
  @HttpCode(200)
  @ApiOperation({
    summary: 'HubSpot webhooks: v3 subscription deliveries (deal changes) and workflow "Send a webhook" calls (a call, email or meeting).',
    description:
      'Signed with X-HubSpot-Signature-v3 (HMAC-SHA256 of method + URL + body + timestamp with the app client secret) and X-HubSpot-Request-Timestamp (refused when more than five minutes old). ' +
      'A JSON array is a subscription delivery (deal.creation and deal.propertyChange of dealstage, amount, closedate, hs_deal_stage_probability, hubspot_owner_id, deal_currency_code, createdate); ' +
      'an object is one engagement {objectId, objectType?, portalId?, properties}.',
  })
  @ApiParam({ name: 'tenantId' })
  @ApiHeader({ name: 'X-HubSpot-Signature-v3', required: true })
  @ApiHeader({ name: 'X-HubSpot-Request-Timestamp', required: true, description: 'Epoch milliseconds.' })
  @ApiBody({ schema: { oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'object' }] } })
  @ApiOkResponse({ type: DeliverySummaryDto })
  async hubspot(@Param('tenantId') tenantId: string, @Req() req: CrmWebhookRequest): Promise<DeliverySummary> {
    const crm = req.crm as NonNullable<CrmWebhookRequest['crm']>;
    const items = itemsOrProblem(hubspotItems(req.body, crm.integration.accountIds));
    return this.intake.deliver(tenantId, crm.integration, items);
  }

  @Post('salesforce/:tenantId')
  @AuthenticatedBySignature()
  @TakesRawBody(['application/json', 'text/xml'])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Salesforce: Flow/Apex HTTP callouts (JSON) and Outbound Messages (SOAP) with Task, Event and Opportunity records.',
    description:
      `JSON: {"organizationId": "00D…", "records": [sObject…]} (1–200 records as Apex JSON.serialize writes them) with the tenant's secret in ${SALESFORCE_SECRET_HEADER}. ` +
      'SOAP (text/xml): an Outbound Message from an allow-listed OrganizationId, answered with the notificationsResponse <Ack>true</Ack> envelope.',
  })
  @ApiParam({ name: 'tenantId' })
  @ApiHeader({ name: SALESFORCE_SECRET_HEADER, required: false, description: 'Required for JSON callouts.' })
  @ApiConsumes('application/json', 'text/xml')
  @ApiProduces('application/json', 'text/xml')
  @ApiBody({ schema: { oneOf: [{ type: 'object' }, { type: 'string', description: 'SOAP envelope' }] } })
  @ApiOkResponse({ type: DeliverySummaryDto, description: 'JSON callouts get the summary; Outbound Messages get the SOAP acknowledgement (text/xml).' })
  async salesforce(
    @Param('tenantId') tenantId: string,
    @Req() req: CrmWebhookRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DeliverySummary | string> {
    const crm = req.crm as NonNullable<CrmWebhookRequest['crm']>;
    if (crm.outbound) {
      await this.intake.deliver(tenantId, crm.integration, itemsOrProblem(salesforceOutboundItems(crm.outbound)));
      res.type('text/xml; charset=utf-8');
      return outboundAck(true);
    }
    return this.intake.deliver(tenantId, crm.integration, itemsOrProblem(salesforceJsonItems(req.body, crm.integration.accountIds)));
  }
}
