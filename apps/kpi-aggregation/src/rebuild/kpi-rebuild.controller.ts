import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, isOperator, Principal, Roles } from '@pacer/auth';
import { ProblemException, TakesBody } from '@pacer/http';
import { RebuildStatusDto } from '../api/kpi-query.dto';
import { ALL_TENANTS, RebuildInProgressError } from './kpi-rebuild';
import { KpiRebuildService, RebuildStatus } from './kpi-rebuild.service';
import { auditActor, RebuildRequestDto, RebuildScopeQueryDto } from '@pacer/platform';

/**
 * What a caller may rebuild: an admin its own tenant; an operator (no tenant) everything, and only
 * by saying so with `scope=all`.
 */
export function rebuildScopeOf(principal: Principal, query: RebuildScopeQueryDto): string {
  if (query.scope === 'all') {
    if (!isOperator(principal))
      throw new ProblemException(
        403,
        'forbidden',
        'A platform-wide rebuild (scope=all) is for the operator role.',
      );
    return ALL_TENANTS;
  }
  if (!principal.tenantId) {
    throw ProblemException.validation(
      [
        {
          path: 'scope',
          message: 'an operator token has no tenant: pass scope=all for a platform-wide rebuild',
        },
      ],
      'An operator rebuilds every tenant or none.',
    );
  }
  return principal.tenantId;
}

@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'No valid bearer token (problem+json).' })
@ApiResponse({
  status: 403,
  description: 'Admins (their tenant) and operators (scope=all) only (problem+json).',
})
@Roles('admin', 'operator')
@Controller('v1/admin/rebuild')
export class KpiRebuildController {
  constructor(private readonly rebuilds: KpiRebuildService) {}

  @Post()
  @TakesBody('optional-json')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      "Rebuild the caller's tenant's KPI read models from the topics (scope=all: every tenant, operator only).",
    description:
      'Replays pacer.activities.v1, pacer.roster.v1, pacer.sprints.v1 and pacer.plans.v1 up to their current end into shadow ' +
      'read models, folds in what arrived meanwhile, then swaps the tenant in under its own short lock and publishes only the ' +
      'snapshots that differ from what was published. Every tenant (the rebuilt one included) keeps its KPIs flowing meanwhile. ' +
      'Poll GET for progress; a rebuild ends `completed` or `failed` with a reason.',
  })
  @ApiBody({
    type: RebuildRequestDto,
    required: false,
    description: '`{}` or no body; any property is a 400.',
  })
  @ApiResponse({ status: 202, type: RebuildStatusDto })
  @ApiResponse({
    status: 400,
    description: 'A body property, an unknown scope, or an operator without scope=all (problem+json).',
  })
  @ApiResponse({ status: 409, description: 'A rebuild of these tenants is already running (problem+json).' })
  async start(
    @CurrentPrincipal() principal: Principal,
    @Query() query: RebuildScopeQueryDto,
    @Body() _body: RebuildRequestDto,
  ): Promise<RebuildStatus> {
    const scope = rebuildScopeOf(principal, query);
    try {
      return await this.rebuilds.rebuild(scope, auditActor(principal));
    } catch (e) {
      if (e instanceof RebuildInProgressError)
        throw ProblemException.conflict('rebuild-in-progress', e.message);
      throw e;
    }
  }

  @Get()
  @ApiOperation({
    summary:
      "The caller's tenant's current (or last) rebuild (scope=all: the platform-wide one, operator only).",
  })
  @ApiResponse({ status: 200, type: RebuildStatusDto })
  status(
    @CurrentPrincipal() principal: Principal,
    @Query() query: RebuildScopeQueryDto,
  ): Promise<RebuildStatus> {
    return this.rebuilds.status(rebuildScopeOf(principal, query));
  }
}
