import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { CurrentPrincipal, Principal, Role, Roles } from '@pacer/auth';
import { sendCsv } from '@pacer/http';
import { KpiPageDto, KpisQueryDto, LeaderboardDto, LeaderboardQueryDto } from './kpi-query.dto';
import { KpiQueryService } from './kpi-query.service';
import { LEADERBOARD_CSV_COLUMNS, leaderboardCsvFilename, leaderboardCsvRows } from './leaderboard-csv';

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

  @Get('leaderboard.csv')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'The leaderboard as CSV (SPEC §6 exports): the same query, access and entries as GET /v1/leaderboard.',
    description:
      'Columns rank,repId,name,metric,value,teamId,period,key,revision,asOf; money as decimal numbers, a null value as an empty cell; ' +
      'text cells that a spreadsheet would read as a formula start with a quote.',
  })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'text/csv; charset=utf-8, as an attachment.' })
  @ApiResponse({ status: 404, description: 'The sprint is not a sprint of that team (problem+json).' })
  async leaderboardCsv(
    @CurrentPrincipal() principal: Principal,
    @Query() query: LeaderboardQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const board = await this.queries.leaderboard(principal, query);
    await sendCsv(res, leaderboardCsvFilename(board), LEADERBOARD_CSV_COLUMNS, leaderboardCsvRows(board));
  }
}
