import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@pacer/auth';
import { KpiPageDto, KpisQueryDto, LeaderboardDto, LeaderboardQueryDto } from './kpi-query.dto';
import { KpiQueryService } from './kpi-query.service';

@ApiTags('kpis')
@ApiBearerAuth()
@ApiResponse({ status: 400, description: 'Invalid query; errors list the parameters (problem+json).' })
@ApiResponse({ status: 401, description: 'No valid bearer token (problem+json).' })
@ApiResponse({ status: 403, description: 'The caller may not read this scope (problem+json).' })
@Controller('v1')
export class KpisController {
  constructor(private readonly queries: KpiQueryService) {}

  @Get('kpis')
  @ApiOperation({
    summary: 'KPI snapshots of one scope, as published on pacer.kpi.v1.',
    description:
      'Reps read their own and their teams\u2019 KPIs, managers their teams\u2019 and those teams\u2019 members\u2019, admin and bi everything of the tenant. ' +
      'Ordered by period type, then period start.',
  })
  @ApiOkResponse({ type: KpiPageDto })
  async kpis(@CurrentPrincipal() principal: Principal, @Query() query: KpisQueryDto): Promise<KpiPageDto> {
    return { items: await this.queries.kpis(principal, query) };
  }

  @Get('leaderboard')
  @ApiOperation({
    summary: "A team's members (or the org's reps) ranked by one metric of one period.",
    description:
      'Team members are the reps who belonged to the team at any time during the period; values are their rep snapshots ' +
      '(for a sprint, their sprint snapshots). Highest first, nulls last, equal values ordered by repId.',
  })
  @ApiOkResponse({ type: LeaderboardDto })
  @ApiResponse({ status: 404, description: 'The sprint is not a sprint of that team (problem+json).' })
  leaderboard(@CurrentPrincipal() principal: Principal, @Query() query: LeaderboardQueryDto): Promise<LeaderboardDto> {
    return this.queries.leaderboard(principal, query);
  }
}
