import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Role, Roles } from '@pacer/auth';
import { KpiPageDto, KpisQueryDto, LeaderboardDto, LeaderboardQueryDto } from './kpi-query.dto';
import { KpiQueryService } from './kpi-query.service';

/** Every tenant role, and a display token (TV screen) for its own team only (checked in the query). */
const READERS: Role[] = ['admin', 'manager', 'rep', 'ingest', 'bi', 'display'];

@ApiTags('kpis')
@ApiBearerAuth()
@ApiResponse({ status: 400, description: 'Invalid query; errors list the parameters (problem+json).' })
@ApiResponse({ status: 401, description: 'No valid bearer token (problem+json).' })
@ApiResponse({ status: 403, description: 'The caller may not read this scope (problem+json).' })
@Controller('v1')
export class KpisController {
  constructor(private readonly queries: KpiQueryService) {}

  @Get('kpis')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'KPI snapshots of one scope, as published on pacer.kpi.v1.',
    description:
      'Reps read their own and their teams\u2019 KPIs, managers the members\u2019 of the teams they manage, a display its own team\u2019s, admin and bi everything of the tenant. ' +
      'Ordered by period type, then period start.',
  })
  @ApiOkResponse({ type: KpiPageDto })
  async kpis(@CurrentPrincipal() principal: Principal, @Query() query: KpisQueryDto): Promise<KpiPageDto> {
    return { items: await this.queries.kpis(principal, query) };
  }

  @Get('leaderboard')
  @Roles(...READERS)
  @ApiOperation({
    summary: "A team's selling members (or the org's reps) ranked by one metric of one period, with their names.",
    description:
      'Team members are the reps who belonged to the team at any time during the period, managers left out; values are their rep snapshots ' +
      '(key defaults to the current period in the tenant calendar; a display token ranks its own team) ' +
      '(for a sprint, their sprint snapshots). Highest first, nulls last, equal values ordered by repId.',
  })
  @ApiOkResponse({ type: LeaderboardDto })
  @ApiResponse({ status: 404, description: 'The sprint is not a sprint of that team (problem+json).' })
  leaderboard(@CurrentPrincipal() principal: Principal, @Query() query: LeaderboardQueryDto): Promise<LeaderboardDto> {
    return this.queries.leaderboard(principal, query);
  }
}
