import { Body, Controller, Get, HttpStatus, Param, Put, Res, UseFilters } from '@nestjs/common';
import { CommissionError } from '../commission.error';
import { CommissionErrorFilter } from '../http/commission-error.filter';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { auditActor } from '@pacer/platform';
import { CurrentPrincipal, Principal, Roles } from '@pacer/auth';
import { PlanPeriodKey } from '@pacer/contracts';
import { AccessPolicy } from '../statements/access-policy.service';
import { AssignPlanDto, QuotaDto } from './plan.dto';
import { checkId } from './plans.controller';
import { PlansService } from './plans.service';

const PLAN_PERIOD_KEY = new RegExp(PlanPeriodKey.pattern ?? '^$');

/** Whether a path segment is a month (`2026-11`), fiscal quarter (`FY2027-Q1`) or fiscal year (`FY2027`) key. */
function isPlanPeriodKey(key: string): boolean {
  return PLAN_PERIOD_KEY.test(key);
}

@ApiTags('plans')
@ApiBearerAuth()
@UseFilters(CommissionErrorFilter)
@Controller('v1/reps/:repId')
export class RepsController {
  constructor(
    private readonly plans: PlansService,
    private readonly access: AccessPolicy,
  ) {}

  @Put('plan')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Put the rep on a plan from a tenant-calendar date (takes effect at the first period starting on or after it).',
  })
  @ApiResponse({ status: 201, type: () => AssignmentResultDto, description: 'Assigned now.' })
  @ApiOkResponse({ type: () => AssignmentResultDto, description: 'Already so assigned (eventId null).' })
  async assign(
    @CurrentPrincipal() principal: Principal,
    @Param('repId') repId: string,
    @Body() dto: AssignPlanDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<object> {
    checkId('repId', repId);
    const outcome = await this.plans.assign(auditActor(principal, ['admin']), repId, dto);
    res.status(outcome.created ? HttpStatus.CREATED : HttpStatus.OK);
    return outcome.body;
  }

  @Get('plan')
  @Roles('admin', 'manager', 'rep')
  @ApiOperation({ summary: "The rep's plan assignments, by effective date." })
  async assignments(
    @CurrentPrincipal() principal: Principal,
    @Param('repId') repId: string,
  ): Promise<object> {
    await this.access.assertCanRead(principal, repId);
    return { repId, assignments: await this.plans.assignments(principal.tenantId, repId) };
  }

  @Put('quotas/:periodKey')
  @Roles('admin')
  @ApiOperation({
    summary: "Set the rep's quota for a month (2026-11), fiscal quarter (FY2027-Q1) or fiscal year (FY2027).",
  })
  @ApiResponse({ status: 201, type: () => QuotaResultDto, description: 'Set now.' })
  @ApiOkResponse({ type: () => QuotaResultDto, description: 'Already this amount (eventId null).' })
  async setQuota(
    @CurrentPrincipal() principal: Principal,
    @Param('repId') repId: string,
    @Param('periodKey') periodKey: string,
    @Body() dto: QuotaDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<object> {
    checkId('repId', repId);
    if (!isPlanPeriodKey(periodKey)) {
      throw CommissionError.validation([
        {
          path: 'periodKey',
          message: 'must be a month (2026-11), fiscal quarter (FY2027-Q1) or fiscal year (FY2027) key',
        },
      ]);
    }
    const outcome = await this.plans.setQuota(auditActor(principal, ['admin']), repId, periodKey, dto);
    res.status(outcome.created ? HttpStatus.CREATED : HttpStatus.OK);
    return outcome.body;
  }

  @Get('quotas')
  @Roles('admin', 'manager', 'rep')
  @ApiOperation({ summary: "The rep's quotas by period key." })
  async quotas(@CurrentPrincipal() principal: Principal, @Param('repId') repId: string): Promise<object> {
    await this.access.assertCanRead(principal, repId);
    return { repId, quotas: await this.plans.quotas(principal.tenantId, repId) };
  }
}

export class AssignmentResultDto {
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ example: 'ae' }) planId!: string;
  @ApiProperty({ example: '2026-01-01' }) effectiveFrom!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The pacer.plan.assigned.v1 event id; null when unchanged.',
  })
  eventId!: string | null;
}

export class QuotaResultDto {
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ example: 'FY2027-Q1' }) periodKey!: string;
  @ApiProperty({ example: '100000.00' }) amount!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The pacer.plan.quota_set.v1 event id; null when unchanged.',
  })
  eventId!: string | null;
}
