import { Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@pacer/auth';
import { ProblemException } from '@pacer/http';
import { RebuildStatusDto } from '../api/kpi-query.dto';
import { RebuildInProgressError } from './kpi-rebuild';
import { KpiRebuildService } from './kpi-rebuild.service';

@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'No valid bearer token (problem+json).' })
@ApiResponse({ status: 403, description: 'Admins only (problem+json).' })
@Roles('admin')
@Controller('v1/admin/rebuild')
export class KpiRebuildController {
  constructor(private readonly rebuilds: KpiRebuildService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Rebuild every KPI read model from the topics.',
    description:
      'Drops the read models, replays pacer.activities.v1, pacer.roster.v1, pacer.sprints.v1 and pacer.plans.v1 from the beginning ' +
      'and, once caught up, publishes only the snapshots that differ from what was published. The API keeps serving the published ' +
      'snapshots meanwhile. Poll GET for progress. The read models are shared by all tenants, so this rebuilds every tenant.',
  })
  @ApiResponse({ status: 202, type: RebuildStatusDto })
  @ApiResponse({ status: 409, description: 'A rebuild is already running (problem+json).' })
  async start(): Promise<RebuildStatusDto> {
    try {
      return await this.rebuilds.rebuild();
    } catch (e) {
      if (e instanceof RebuildInProgressError) throw ProblemException.conflict('rebuild-in-progress', e.message);
      throw e;
    }
  }

  @Get()
  @ApiOperation({ summary: 'Progress of the current (or last) rebuild.' })
  @ApiResponse({ status: 200, type: RebuildStatusDto })
  status(): Promise<RebuildStatusDto> {
    return this.rebuilds.status();
  }
}
