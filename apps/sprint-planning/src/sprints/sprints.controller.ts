import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@pacer/auth';
import { sendCsv } from '@pacer/http';
import { SprintBoard } from '../domain/sprint/sprint-board';
import { SprintReport } from '../domain/sprint/sprint-report';
import { TEAM_READERS } from '../domain/team/team-access';
import { etagOf, parseIfMatch } from '../http/if-match';
import { SprintPlanningErrorFilter } from '../http/sprint-planning-error.filter';
import { CommitmentDto, ItemStatusDto } from './sprint.dto';
import { SprintBoardDto } from './sprint-board.dto';
import { SprintCommandsService } from './sprint-commands.service';
import { SPRINT_REPORT_CSV_COLUMNS, sprintReportCsvRows } from './sprint-report-csv';
import { CommitmentView, SprintQueriesService, SprintView } from './sprint-queries.service';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'The ETag (version) the change is based on; a mismatch is 409',
};

@ApiTags('sprints')
@ApiBearerAuth()
@UseFilters(SprintPlanningErrorFilter)
@Controller('v1/sprints')
export class SprintsController {
  constructor(
    private readonly commands: SprintCommandsService,
    private readonly queries: SprintQueriesService,
  ) {}

  @Get(':sprintId')
  @Roles(...TEAM_READERS)
  @ApiOperation({ summary: 'A sprint with its status, window and commitments; ETag = its version.' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('sprintId') sprintId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SprintView> {
    return this.withEtag(await this.queries.get(p, sprintId), res);
  }

  @Post(':sprintId/start')
  @HttpCode(200)
  @Roles('admin', 'manager')
  @ApiHeader(IF_MATCH)
  @ApiOperation({
    summary: 'Start a planned sprint: the commitments made so far are snapshotted as committed.',
  })
  async start(
    @CurrentPrincipal() p: Principal,
    @Param('sprintId') sprintId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SprintView> {
    await this.commands.start(p, sprintId, parseIfMatch(ifMatch));
    return this.withEtag(await this.queries.get(p, sprintId), res);
  }

  @Post(':sprintId/close')
  @HttpCode(200)
  @Roles('admin', 'manager')
  @ApiHeader(IF_MATCH)
  @ApiOperation({
    summary:
      "Close an active sprint: unfinished items move to the team's next planned sprint; the report is frozen and published.",
  })
  async close(
    @CurrentPrincipal() p: Principal,
    @Param('sprintId') sprintId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SprintView> {
    await this.commands.close(p, sprintId, parseIfMatch(ifMatch));
    return this.withEtag(await this.queries.get(p, sprintId), res);
  }

  @Put(':sprintId/commitments/:repId')
  @Roles('admin', 'manager', 'rep')
  @ApiHeader(IF_MATCH)
  @ApiOperation({
    summary: "Set a rep's whole commitment (targets by KPI metric, items). Reps may set only their own.",
  })
  async setCommitment(
    @CurrentPrincipal() p: Principal,
    @Param('sprintId') sprintId: string,
    @Param('repId') repId: string,
    @Body() body: CommitmentDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommitmentView> {
    await this.commands.setCommitment(
      p,
      sprintId,
      repId,
      {
        targets: body.targets ?? {},
        items: (body.items ?? []).map((i) => ({
          itemId: i.itemId,
          title: i.title,
          ...(i.opportunityId !== undefined ? { opportunityId: i.opportunityId } : {}),
          ...(i.dueDate !== undefined ? { dueDate: i.dueDate } : {}),
        })),
      },
      parseIfMatch(ifMatch),
    );
    const view = await this.queries.commitment(p.tenantId, sprintId, repId);
    res.setHeader('ETag', etagOf(view.version));
    return view;
  }

  @Patch(':sprintId/items/:itemId')
  @Roles('admin', 'manager', 'rep')
  @ApiHeader(IF_MATCH)
  @ApiOperation({
    summary: 'Move an item to todo, doing or done (backwards too). Reps may move only their own items.',
  })
  async changeItem(
    @CurrentPrincipal() p: Principal,
    @Param('sprintId') sprintId: string,
    @Param('itemId') itemId: string,
    @Body() body: ItemStatusDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ sprintId: string; itemId: string; repId: string; status: string; version: number }> {
    const { version, repId } = await this.commands.changeItemStatus(
      p,
      sprintId,
      itemId,
      body.status,
      parseIfMatch(ifMatch),
    );
    res.setHeader('ETag', etagOf(version));
    return { sprintId, itemId, repId, status: body.status, version };
  }

  @Get(':sprintId/board')
  @Roles(...TEAM_READERS)
  @ApiOkResponse({ type: SprintBoardDto })
  @ApiOperation({
    summary:
      "Per rep targets, the KPI service's sprint actuals, progress and items; team totals; daily burnup.",
  })
  board(@CurrentPrincipal() p: Principal, @Param('sprintId') sprintId: string): Promise<SprintBoard> {
    // No version ETag here: the board's actuals move with KPI snapshots while the sprint's version
    // stays put, and a version ETag let caches answer 304 with stale numbers. Express's default
    // content ETag revalidates correctly; `version` in the body is what an If-Match is built from.
    return this.queries.board(p, sprintId);
  }

  @Get(':sprintId/report')
  @ApiResponse({ status: 200, description: 'The frozen report.' })
  @ApiResponse({ status: 409, description: 'report-not-available: the sprint has not closed yet (problem+json).' })
  @ApiOperation({
    summary: 'The report frozen at close: planned vs actual per rep and team, completion ratio, items.',
  })
  report(@CurrentPrincipal() p: Principal, @Param('sprintId') sprintId: string): Promise<SprintReport> {
    return this.queries.report(p, sprintId);
  }

  @Get(':sprintId/report.csv')
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'text/csv; charset=utf-8, as an attachment.' })
  @ApiResponse({ status: 409, description: 'report-not-available: the sprint has not closed yet (problem+json).' })
  @ApiOperation({
    summary: 'The frozen report as CSV (SPEC §6 exports), same access as the JSON report.',
    description:
      'One row per rep and metric, then the team line: sprintId,teamId,scope,repId,name,role,metric,planned,actual,ratio,' +
      'completionRatio,itemsTotal,itemsDone,itemsCarriedOver. Numbers stay numbers (money as decimals); text cells that a ' +
      'spreadsheet would read as a formula start with a quote.',
  })
  async reportCsv(
    @CurrentPrincipal() p: Principal,
    @Param('sprintId') sprintId: string,
    @Res() res: Response,
  ): Promise<void> {
    const report = await this.queries.report(p, sprintId);
    await sendCsv(res, `sprint-report-${report.sprintId}.csv`, SPRINT_REPORT_CSV_COLUMNS, sprintReportCsvRows(report));
  }

  private withEtag(view: SprintView, res: Response): SprintView {
    res.setHeader('ETag', etagOf(view.version));
    return view;
  }
}
