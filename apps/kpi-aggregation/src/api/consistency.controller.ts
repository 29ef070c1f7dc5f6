import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@pacer/auth';
import { ConsistencyQueryDto, RepConsistencyDto, TeamConsistencyDto } from './consistency.dto';
import { KpiConsistencyService } from './kpi-consistency.service';

@ApiTags('kpis')
@ApiBearerAuth()
@ApiResponse({ status: 400, description: 'Invalid period or last (1–24); errors name the parameter (problem+json).' })
@ApiResponse({ status: 401, description: 'No valid bearer token (problem+json).' })
@ApiResponse({ status: 403, description: 'The caller may not read this rep or team (problem+json).' })
@Controller('v1')
export class ConsistencyController {
  constructor(private readonly consistency: KpiConsistencyService) {}

  @Get('reps/:repId/consistency')
  @Roles('admin', 'manager', 'rep')
  @ApiOperation({
    summary: "A rep's quota attainment in each of the last N ended months or quarters that had a quota, with mean, standard deviation and coefficient of variation.",
    description:
      'Periods are read from the published rep snapshots: those whose end is at or before now in the tenant calendar and whose quota for exactly that period is set and not zero, the most recent N, oldest first. ' +
      'The standard deviation is the population one. Readable by the rep, a manager of a team the rep has been in, and admins.',
  })
  @ApiOkResponse({ type: RepConsistencyDto })
  rep(@CurrentPrincipal() principal: Principal, @Param('repId') repId: string, @Query() query: ConsistencyQueryDto): Promise<RepConsistencyDto> {
    return this.consistency.ofRep(principal, repId, query);
  }

  @Get('teams/:teamId/consistency')
  @Roles('admin', 'manager')
  @ApiOperation({
    summary: "The same per selling member of the team now, for the team's managers and admins.",
  })
  @ApiOkResponse({ type: TeamConsistencyDto })
  @ApiResponse({ status: 404, description: 'No such team in the tenant (problem+json).' })
  team(@CurrentPrincipal() principal: Principal, @Param('teamId') teamId: string, @Query() query: ConsistencyQueryDto): Promise<TeamConsistencyDto> {
    return this.consistency.ofTeam(principal, teamId, query);
  }
}
