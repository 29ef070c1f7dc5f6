import { Body, Controller, HttpCode, Post, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, isOperator, Principal, Roles } from '@pacer/auth';
import { ProblemException, TakesBody } from '@pacer/http';
import { SprintPlanningErrorFilter } from '../http/sprint-planning-error.filter';
import {
  rebuildReadModels,
  RebuildFailedError,
  rebuildTenantReadModels,
} from '../projections/rebuild-read-models';
import { SprintPlanningProjection } from '../projections/sprint-planning.projection';
import { auditActor, RebuildRequestDto, RebuildScopeQueryDto } from '@pacer/platform';

/** What a finished rebuild did. */
export interface RebuildResult {
  /** The tenant rebuilt, or `*` for every tenant. */
  scope: string;
  status: 'completed';
  tenants: number;
  events: number;
  durationMs: number;
}

@ApiTags('admin')
@ApiBearerAuth()
@UseFilters(SprintPlanningErrorFilter)
@Controller('v1/admin')
export class AdminController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projection: SprintPlanningProjection,
  ) {}

  @Post('rebuild')
  @TakesBody('optional-json')
  @HttpCode(200)
  @Roles('admin', 'operator')
  @ApiOperation({
    summary:
      "Rebuild the caller's tenant's read models from the event store (scope=all: every tenant, operator only); boards and reports come out identical.",
    description:
      "Replays the tenant's events into its emptied read models in one transaction that locks only the tenant's streams: its own " +
      'writes wait for the replay, no other tenant does. scope=all does the same tenant by tenant. Answers when done, or with a ' +
      'rebuild-failed problem naming each tenant that could not be rebuilt and why (its read models are left as they were).',
  })
  @ApiBody({
    type: RebuildRequestDto,
    required: false,
    description: '`{}` or no body; any property is a 400.',
  })
  @ApiResponse({
    status: 400,
    description: 'A body property, an unknown scope, or an operator without scope=all (problem+json).',
  })
  @ApiResponse({
    status: 403,
    description: 'Admins (their tenant) and operators (scope=all) only (problem+json).',
  })
  @ApiResponse({ status: 200, description: 'Rebuilt: the events replayed, per tenant.' })
  @ApiResponse({ status: 500, description: 'rebuild-failed: which tenants, and why (problem+json).' })
  async rebuild(
    @CurrentPrincipal() principal: Principal,
    @Query() query: RebuildScopeQueryDto,
    @Body() _body: RebuildRequestDto,
  ): Promise<RebuildResult> {
    const started = Date.now();
    try {
      if (query.scope === 'all') {
        if (!isOperator(principal)) {
          throw new ProblemException(
            403,
            'forbidden',
            'A platform-wide rebuild (scope=all) is for the operator role.',
          );
        }
        const all = await rebuildReadModels(this.dataSource, this.projection, undefined, {
          actor: auditActor(principal),
          scope: 'all',
        });
        return { scope: '*', status: 'completed', ...all, durationMs: Date.now() - started };
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
      const one = await rebuildTenantReadModels(this.dataSource, this.projection, principal.tenantId, undefined, {
        actor: auditActor(principal),
        scope: 'tenant',
      });
      return {
        scope: one.tenantId,
        status: 'completed',
        tenants: 1,
        events: one.events,
        durationMs: Date.now() - started,
      };
    } catch (e) {
      if (e instanceof RebuildFailedError) {
        throw new ProblemException(500, 'rebuild-failed', `The rebuild failed: ${e.message}`, {
          failures: e.failures,
          rebuiltTenants: e.rebuilt.length,
        });
      }
      throw e;
    }
  }
}
