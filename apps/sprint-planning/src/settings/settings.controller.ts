import { Body, Controller, Get, Put, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@pacer/auth';
import { DEFAULT_TENANT_SETTINGS } from '@pacer/contracts';
import { etagOf } from '../http/if-match';
import { SprintPlanningErrorFilter } from '../http/sprint-planning-error.filter';
import { SettingsRow } from '../projections/read-models.repository';
import { SettingsService } from './settings.service';
import { TenantSettingsDto } from './tenant-settings.dto';

@ApiTags('settings')
@ApiBearerAuth()
@UseFilters(SprintPlanningErrorFilter)
@Controller('v1/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's time zone, week start and fiscal year start (defaults until set)." })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SettingsRow> {
    const settings = await this.settings.get(principal.tenantId);
    res.setHeader('ETag', etagOf(settings.version));
    return settings;
  }

  @Put()
  @Roles('admin', 'manager')
  @ApiOperation({
    summary: 'Set the tenant calendar; KPIs restate in it. Publishes pacer.roster.settings_updated.v1.',
  })
  async put(
    @CurrentPrincipal() principal: Principal,
    @Body() body: TenantSettingsDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SettingsRow> {
    const settings = await this.settings.put(principal, {
      timezone: body.timezone ?? DEFAULT_TENANT_SETTINGS.timezone,
      weekStartsOn: body.weekStartsOn ?? DEFAULT_TENANT_SETTINGS.weekStartsOn,
      fiscalYearStartMonth: body.fiscalYearStartMonth ?? DEFAULT_TENANT_SETTINGS.fiscalYearStartMonth,
      dealsRequireApproval: body.dealsRequireApproval ?? false,
    });
    res.setHeader('ETag', etagOf(settings.version));
    return settings;
  }
}
