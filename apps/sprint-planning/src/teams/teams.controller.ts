import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { CurrentPrincipal, hasRole, Principal, Roles } from '@pacer/auth';
import { SprintPlanningError } from '../domain/sprint-planning.error';
import { etagOf, parseIfMatch } from '../http/if-match';
import { SprintPlanningErrorFilter } from '../http/sprint-planning-error.filter';
import { PlanSprintDto, VelocityQueryDto } from '../sprints/sprint.dto';
import { SprintCommandsService } from '../sprints/sprint-commands.service';
import { SprintQueriesService, SprintView, VelocityView } from '../sprints/sprint-queries.service';
import { TEAM_READERS } from '../domain/team/team-access';
import { TeamCommandsService } from './team-commands.service';
import { CreateTeamDto, PutMemberDto, RemoveMemberQueryDto, RenameTeamDto } from './team.dto';
import { TeamQueriesService, TeamView } from './team-queries.service';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'The ETag (version) the change is based on; a mismatch is 409',
};

@ApiTags('teams')
@ApiBearerAuth()
@UseFilters(SprintPlanningErrorFilter)
@Controller('v1/teams')
export class TeamsController {
  constructor(
    private readonly commands: TeamCommandsService,
    private readonly queries: TeamQueriesService,
    private readonly sprintCommands: SprintCommandsService,
    private readonly sprintQueries: SprintQueriesService,
  ) {}

  @Post()
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Create a team with a sales model (island or assembly_line).' })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() body: CreateTeamDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TeamView> {
    const { teamId } = await this.commands.create(p, body);
    return this.teamWithEtag(p.tenantId, teamId, res);
  }

  @Get()
  @ApiOperation({ summary: "The tenant's teams with their current members." })
  list(@CurrentPrincipal() p: Principal): Promise<Omit<TeamView, 'membership'>[]> {
    return this.queries.list(p.tenantId);
  }

  @Get(':teamId')
  @Roles(...TEAM_READERS)
  @ApiOperation({ summary: 'A team, its current members and every dated membership period.' })
  get(
    @CurrentPrincipal() p: Principal,
    @Param('teamId') teamId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TeamView> {
    // A TV screen names its team on screen; any other team does not exist for it.
    if (hasRole(p, 'display') && p.teamId !== teamId) {
      throw new SprintPlanningError('team-not-found', `Team ${teamId} was not found.`);
    }
    return this.teamWithEtag(p.tenantId, teamId, res);
  }

  @Patch(':teamId')
  @Roles('admin', 'manager')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Rename a team (the sales model is fixed at creation).' })
  async rename(
    @CurrentPrincipal() p: Principal,
    @Param('teamId') teamId: string,
    @Body() body: RenameTeamDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TeamView> {
    await this.commands.rename(p, teamId, body.name, parseIfMatch(ifMatch));
    return this.teamWithEtag(p.tenantId, teamId, res);
  }

  @Put(':teamId/members/:repId')
  @Roles('admin', 'manager')
  @ApiHeader(IF_MATCH)
  @ApiOperation({
    summary:
      'Add a member or change its name/role, effective now or from effectiveFrom (SPEC §4 role rules).',
  })
  async putMember(
    @CurrentPrincipal() p: Principal,
    @Param('teamId') teamId: string,
    @Param('repId') repId: string,
    @Body() body: PutMemberDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TeamView> {
    await this.commands.putMember(p, teamId, repId, body, parseIfMatch(ifMatch));
    return this.teamWithEtag(p.tenantId, teamId, res);
  }

  @Delete(':teamId/members/:repId')
  @Roles('admin', 'manager')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: "End a member's membership now or at effectiveTo (exclusive)." })
  async removeMember(
    @CurrentPrincipal() p: Principal,
    @Param('teamId') teamId: string,
    @Param('repId') repId: string,
    @Query() query: RemoveMemberQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TeamView> {
    await this.commands.removeMember(p, teamId, repId, query.effectiveTo, parseIfMatch(ifMatch));
    return this.teamWithEtag(p.tenantId, teamId, res);
  }

  @Post(':teamId/sprints')
  @Roles('admin', 'manager')
  @ApiOperation({
    summary:
      'Plan a sprint covering [startDate, startDate + lengthDays) in the tenant zone; sprints of a team never overlap.',
  })
  async planSprint(
    @CurrentPrincipal() p: Principal,
    @Param('teamId') teamId: string,
    @Body() body: PlanSprintDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SprintView> {
    const { sprintId } = await this.sprintCommands.plan(p, teamId, {
      ...(body.sprintId !== undefined ? { sprintId: body.sprintId } : {}),
      startDate: body.startDate,
      lengthDays: body.lengthDays ?? 7,
      goal: body.goal ?? '',
    });
    const view = await this.sprintQueries.get(p, sprintId);
    res.setHeader('ETag', etagOf(view.version));
    res.setHeader('Location', `/v1/sprints/${encodeURIComponent(sprintId)}`);
    return view;
  }

  @Get(':teamId/sprints')
  @Roles(...TEAM_READERS)
  @ApiOperation({ summary: "The team's sprints by start date." })
  sprints(@CurrentPrincipal() p: Principal, @Param('teamId') teamId: string): Promise<SprintView[]> {
    return this.sprintQueries.listForTeam(p, teamId);
  }

  @Get(':teamId/velocity')
  @ApiOperation({ summary: 'Completion ratio and items done of the last N closed sprints, oldest first.' })
  velocity(
    @CurrentPrincipal() p: Principal,
    @Param('teamId') teamId: string,
    @Query() query: VelocityQueryDto,
  ): Promise<VelocityView> {
    return this.sprintQueries.velocity(p, teamId, query.last ?? 5);
  }

  private async teamWithEtag(tenantId: string, teamId: string, res: Response): Promise<TeamView> {
    const view = await this.queries.get(tenantId, teamId);
    res.setHeader('ETag', etagOf(view.version));
    return view;
  }
}
