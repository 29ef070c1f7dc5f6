import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@pacer/auth';
import { decodeKeysetCursor, encodeKeysetCursor, ProblemException } from '@pacer/http';
import { auditActor, recordAudit, TenantThrottlerGuard } from '@pacer/platform';
import { CrmIntakeService } from './crm-intake.service';
import { CrmIntegrationRepository, ExceptionRow, IntegrationRow } from './crm-integration.repository';
import { CRM_SETTINGS, CrmSettings, secretContext, secretsOf } from './crm-settings';
import { CRM_VENDORS, CrmVendor } from './crm.types';
import {
  ExceptionDto,
  ExceptionPageDto,
  IntegrationDto,
  IntegrationListDto,
  IntegrationSettingsDto,
  ListExceptionsQueryDto,
  MappingsDto,
  MappingsResultDto,
  RetryResultDto,
} from './integrations.dto';

function vendorOf(value: string): CrmVendor {
  if (!(CRM_VENDORS as readonly string[]).includes(value)) throw ProblemException.notFound(`Integration ${value}`);
  return value as CrmVendor;
}

function toDto(tenantId: string, row: IntegrationRow): IntegrationDto {
  return {
    vendor: row.vendor,
    secretSet: row.secretSealed !== null,
    secretUpdatedAt: row.secretUpdatedAt?.toISOString() ?? null,
    accountIds: row.accountIds,
    defaultCurrency: row.defaultCurrency,
    webhookPath: `/v1/integrations/${row.vendor}/${encodeURIComponent(tenantId)}`,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function exceptionDto(row: ExceptionRow): ExceptionDto {
  return {
    id: row.id,
    vendor: row.vendor,
    key: row.itemKey,
    reason: row.reason,
    crmUserId: row.crmUserId,
    detail: row.detail,
    errors: row.errors,
    status: row.status,
    occurrences: row.occurrences,
    firstSeenAt: row.firstSeenAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

/** Duplicate CRM users or stages in a mapping document, as field errors. */
function duplicates(doc: MappingsDto): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  doc.users.forEach((u, i) => {
    if (seen.has(u.crmUserId)) out.push({ path: `users.${i}.crmUserId`, message: `${u.crmUserId} is mapped twice` });
    seen.add(u.crmUserId);
  });
  const stages = new Set<string>();
  doc.stages.forEach((s, i) => {
    if (stages.has(s.crmStage)) out.push({ path: `stages.${i}.crmStage`, message: `${s.crmStage} is mapped twice` });
    stages.add(s.crmStage);
  });
  return out;
}

function encodeCursor(c: { lastSeenAt: string; id: string }): string {
  return encodeKeysetCursor(['v1', c.lastSeenAt, c.id]);
}

function decodeCursor(cursor: string): { lastSeenAt: string; id: string } | undefined {
  const parts = decodeKeysetCursor(cursor, [
    (v) => v === 'v1',
    (v) => !Number.isNaN(Date.parse(v)),
    (v) => /^[0-9a-f-]{36}$/.test(v),
  ]);
  if (parts === undefined) return undefined;
  const [, lastSeenAt, id] = parts as [string, string, string];
  return { lastSeenAt, id };
}

/**
 * An admin's side of the CRM integrations: secrets and allowed accounts per CRM, the mapping of CRM
 * users and stages, and the items that could not be recorded (with a retry once mapped).
 */
@ApiTags('integrations')
@ApiBearerAuth()
@UseGuards(TenantThrottlerGuard)
@Roles('admin')
@ApiResponse({ status: 401, description: 'No valid bearer token (problem+json).' })
@ApiResponse({ status: 403, description: 'Only admins manage integrations.' })
@ApiResponse({ status: 503, description: 'No PACER_SECRETS_KEY in production (secrets-key-missing), or Postgres unreachable.' })
@Controller('v1/integrations')
export class IntegrationsAdminController {
  constructor(
    private readonly repository: CrmIntegrationRepository,
    private readonly intake: CrmIntakeService,
    private readonly dataSource: DataSource,
    @Inject(CRM_SETTINGS) private readonly settings: CrmSettings,
  ) {}

  @Get()
  @ApiOperation({ summary: "The tenant's CRM integrations (whether a secret is set, never the secret)." })
  @ApiOkResponse({ type: IntegrationListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<IntegrationListDto> {
    return { items: (await this.repository.list(principal.tenantId)).map((row) => toDto(principal.tenantId, row)) };
  }

  // Declared before the `:vendor` routes so "exceptions" is never read as a vendor.
  @Get('exceptions')
  @ApiOperation({ summary: 'CRM items that could not be recorded (unmapped users, deals without owner or amount, invalid or changed records), newest first.' })
  @ApiOkResponse({ type: ExceptionPageDto })
  async exceptions(@CurrentPrincipal() principal: Principal, @Query() query: ListExceptionsQueryDto): Promise<ExceptionPageDto> {
    let after;
    if (query.cursor !== undefined) {
      after = decodeCursor(query.cursor);
      if (!after) throw ProblemException.validation([{ path: 'cursor', message: 'is not a cursor returned by this endpoint' }]);
    }
    const limit = query.limit ?? 100;
    const rows = await this.repository.listExceptions({
      tenantId: principal.tenantId,
      ...(query.vendor ? { vendor: query.vendor } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(after ? { after } : {}),
      limit,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(exceptionDto),
      nextCursor: rows.length > limit && last ? encodeCursor({ lastSeenAt: last.cursorAt, id: last.id }) : null,
    };
  }

  @Post('exceptions/:id/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Runs an exception\'s item again with the current mappings (e.g. after mapping its CRM user).',
    description: 'The exception is resolved when the item goes through now; otherwise it stays open with the new reason.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: RetryResultDto })
  @ApiResponse({ status: 404, description: 'No such exception in this tenant.' })
  async retry(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RetryResultDto> {
    const exception = await this.repository.findException(principal.tenantId, id);
    if (!exception) throw ProblemException.notFound(`Exception ${id}`);
    const integration = await this.repository.find(principal.tenantId, exception.vendor);
    if (!integration) throw ProblemException.notFound(`Integration ${exception.vendor}`);
    const delivery = await this.intake.deliver(principal.tenantId, integration, [exception.item], auditActor(principal, ['admin']));
    const now = (await this.repository.findException(principal.tenantId, id)) as ExceptionRow;
    return { exception: exceptionDto(now), delivery };
  }

  @Put(':vendor')
  @ApiOperation({ summary: "Sets a CRM's secret (stored encrypted), allowed accounts and default currency for the tenant." })
  @ApiParam({ name: 'vendor', enum: CRM_VENDORS })
  @ApiOkResponse({ type: IntegrationDto })
  @ApiResponse({ status: 404, description: 'Not a CRM Pacer integrates with.' })
  async configure(
    @CurrentPrincipal() principal: Principal,
    @Param('vendor') vendorParam: string,
    @Body() body: IntegrationSettingsDto,
  ): Promise<IntegrationDto> {
    const vendor = vendorOf(vendorParam);
    const secrets = secretsOf(this.settings);
    const sealed = body.secret !== undefined ? secrets.seal(body.secret, secretContext(principal.tenantId, vendor)) : undefined;
    const row = await this.dataSource.transaction(async (m) => {
      const saved = await this.repository.saveSettings(m, principal.tenantId, vendor, {
        ...(sealed !== undefined ? { secretSealed: sealed } : {}),
        accountIds: [...new Set(body.accountIds)],
        defaultCurrency: body.defaultCurrency,
      });
      await recordAudit(m, auditActor(principal, ['admin']), {
        type: 'crm_integration.configured',
        subject: { vendor },
        summary: { accountIds: saved.accountIds, defaultCurrency: saved.defaultCurrency, secretChanged: sealed !== undefined },
      });
      return saved;
    });
    return toDto(principal.tenantId, row);
  }

  @Get(':vendor')
  @ApiOperation({ summary: "A CRM's settings for the tenant; whether a secret is set, never the secret." })
  @ApiParam({ name: 'vendor', enum: CRM_VENDORS })
  @ApiOkResponse({ type: IntegrationDto })
  @ApiResponse({ status: 404, description: 'Not configured for this tenant, or not a CRM Pacer integrates with.' })
  async get(@CurrentPrincipal() principal: Principal, @Param('vendor') vendorParam: string): Promise<IntegrationDto> {
    const vendor = vendorOf(vendorParam);
    const row = await this.repository.find(principal.tenantId, vendor);
    if (!row) throw ProblemException.notFound(`Integration ${vendor}`);
    return toDto(principal.tenantId, row);
  }

  @Put(':vendor/mappings')
  @ApiOperation({
    summary: 'Replaces the mapping of CRM users to repIds and of CRM stages to Pacer stages (one document).',
    description: 'Open exceptions are not retried by this: retry them with POST /v1/integrations/exceptions/{id}/retry.',
  })
  @ApiParam({ name: 'vendor', enum: CRM_VENDORS })
  @ApiOkResponse({ type: MappingsResultDto })
  async putMappings(
    @CurrentPrincipal() principal: Principal,
    @Param('vendor') vendorParam: string,
    @Body() body: MappingsDto,
  ): Promise<MappingsResultDto> {
    const vendor = vendorOf(vendorParam);
    const dupes = duplicates(body);
    if (dupes.length > 0) throw ProblemException.validation(dupes, 'A CRM user or stage is mapped twice.');
    const doc = {
      users: body.users.map((u) => ({ crmUserId: u.crmUserId, repId: u.repId })),
      stages: body.stages.map((s) => ({ crmStage: s.crmStage, pacerStage: s.pacerStage, ...(s.outcome ? { outcome: s.outcome } : {}) })),
    };
    const row = await this.dataSource.transaction(async (m) => {
      const saved = await this.repository.saveMappings(m, principal.tenantId, vendor, doc);
      await recordAudit(m, auditActor(principal, ['admin']), {
        type: 'crm_mappings.updated',
        subject: { vendor },
        summary: { users: doc.users.length, stages: doc.stages.length },
      });
      return saved;
    });
    return { vendor, ...row.mappings, updatedAt: row.mappingsUpdatedAt?.toISOString() ?? null };
  }

  @Get(':vendor/mappings')
  @ApiOperation({ summary: 'The mapping document of a CRM (empty lists when none is set).' })
  @ApiParam({ name: 'vendor', enum: CRM_VENDORS })
  @ApiOkResponse({ type: MappingsResultDto })
  async getMappings(@CurrentPrincipal() principal: Principal, @Param('vendor') vendorParam: string): Promise<MappingsResultDto> {
    const vendor = vendorOf(vendorParam);
    const row = await this.repository.find(principal.tenantId, vendor);
    return { vendor, users: row?.mappings.users ?? [], stages: row?.mappings.stages ?? [], updatedAt: row?.mappingsUpdatedAt?.toISOString() ?? null };
  }
}
