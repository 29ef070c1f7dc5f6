import { Body, Controller, Get, HttpStatus, Param, Put, Res, UseFilters } from '@nestjs/common';
import { CommissionError } from '../commission.error';
import { CommissionErrorFilter } from '../http/commission-error.filter';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { auditActor } from '@pacer/platform';
import { CurrentPrincipal, hasRole, Principal, Roles } from '@pacer/auth';
import { IntParamPipe } from '@pacer/http';
import { INPUT_LIMITS, isId } from '@pacer/sales-domain';
import { PlanDto } from './plan.dto';
import { PlansService, PlanVersionView } from './plans.service';

@ApiTags('plans')
@ApiBearerAuth()
@UseFilters(CommissionErrorFilter)
@Controller('v1/plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Put(':planId')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Create a new immutable version of a plan (200 with the latest version when the body is unchanged).',
  })
  @ApiResponse({ status: 201, description: 'A new version was created (the version, as GET returns it).' })
  @ApiResponse({ status: 200, description: 'The body is the latest version already (that version).' })
  async put(
    @CurrentPrincipal() principal: Principal,
    @Param('planId') planId: string,
    @Body() dto: PlanDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PlanVersionView> {
    checkId('planId', planId);
    const outcome = await this.plans.putPlan(auditActor(principal, ['admin']), planId, dto);
    res.status(outcome.created ? HttpStatus.CREATED : HttpStatus.OK);
    return outcome.body;
  }

  @Get()
  @Roles('admin', 'manager', 'bi')
  @ApiOperation({ summary: "The tenant's plans and their latest versions." })
  async list(
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ items: { planId: string; latestVersion: number }[] }> {
    return { items: await this.plans.planIds(principal.tenantId) };
  }

  @Get(':planId')
  @Roles('admin', 'manager', 'bi', 'rep')
  @ApiOperation({ summary: 'The latest version of a plan and the list of all its versions.' })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('planId') planId: string,
  ): Promise<PlanVersionView & { versions: PlanVersionView[] }> {
    await this.assertCanReadPlan(principal, planId);
    const versions = await this.plans.versions(principal.tenantId, planId);
    const latest = versions[versions.length - 1];
    if (latest === undefined) throw CommissionError.notFound(`Plan ${planId}`);
    return { ...latest, versions };
  }

  @Get(':planId/versions/:version')
  @Roles('admin', 'manager', 'bi', 'rep')
  @ApiOperation({ summary: 'One version of a plan.' })
  async getVersion(
    @CurrentPrincipal() principal: Principal,
    @Param('planId') planId: string,
    @Param('version', new IntParamPipe({ min: 1 })) version: number,
  ): Promise<PlanVersionView> {
    await this.assertCanReadPlan(principal, planId);
    const found = await this.plans.version(principal.tenantId, planId, version);
    if (found === undefined) throw CommissionError.notFound(`Version ${version} of plan ${planId}`);
    return found;
  }

  // Reps read the plans they are (or were) on; the rest of the tenant's plans are not theirs to see.
  private async assertCanReadPlan(principal: Principal, planId: string): Promise<void> {
    if (hasRole(principal, 'admin', 'manager', 'bi')) return;
    if (
      principal.repId !== undefined &&
      (await this.plans.isAssigned(principal.tenantId, principal.repId, planId))
    )
      return;
    const exists = (await this.plans.versions(principal.tenantId, planId)).length > 0;
    if (!exists) throw CommissionError.notFound(`Plan ${planId}`);
    throw new CommissionError('forbidden', `Plan ${planId} is not assigned to you.`);
  }
}

export function checkId(name: string, value: string): void {
  if (!isId(value)) {
    throw CommissionError.validation([
      {
        path: name,
        message: `${name} must be ${INPUT_LIMITS.idMinLength} to ${INPUT_LIMITS.idMaxLength} characters without control characters`,
      },
    ]);
  }
}
