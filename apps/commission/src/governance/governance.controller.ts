import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
  UseFilters,
} from '@nestjs/common';
import { CommissionError } from '../commission.error';
import { CommissionErrorFilter } from '../http/commission-error.filter';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, hasRole, Principal, Roles } from '@pacer/auth';
import { csvNumber, csvText, sendCsv } from '@pacer/http';
import { checkId } from '../plans/plans.controller';
import { AccessPolicy } from '../statements/access-policy.service';
import { StatementsService } from '../statements/statements.service';
import {
  ApproveStatementDto,
  DealDecisionDto,
  DealsQueryDto,
  DisputesQueryDto,
  ManualAdjustmentDto,
  OpenDisputeDto,
  PeriodsQueryDto,
  ResolveDisputeDto,
  StatementsQueryDto,
} from './governance.dto';
import {
  DealDto,
  DealPageDto,
  DisputeDto,
  DisputePageDto,
  ManualAdjustmentResultDto,
  PayoutResultDto,
  PeriodDto,
  PeriodPageDto,
  PeriodStateDto,
  StatementHeadDto,
  StatementHeadPageDto,
} from './governance.responses';
import { AdjustmentsService } from './adjustments.service';
import { ApprovalsService } from './approvals.service';
import { DealApprovalsService } from './deal-approvals.service';
import { GovernanceLists } from './governance-lists.service';
import {
  assertPeriodKey,
  DealView,
  DisputeView,
  Page,
  PeriodView,
  StatementHeadView,
} from './governance.views';
import { PeriodCloseService } from './period-close.service';
import { PayoutRow } from './payout-file';

const PAYOUT_COLUMNS = [
  csvText<PayoutRow>('repId', (r) => r.repId),
  csvText<PayoutRow>('periodKey', (r) => r.periodKey),
  csvText<PayoutRow>('currency', (r) => r.currency),
  csvNumber<PayoutRow>('total', (r) => r.total),
  csvText<PayoutRow>('statementId', (r) => r.statementId),
  csvNumber<PayoutRow>('statementVersion', (r) => r.statementVersion),
];

type Line = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const STATEMENT_LINE_COLUMNS = [
  csvText<Line>('lineId', (l) => str(l['lineId'])),
  csvText<Line>('kind', (l) => str(l['kind'])),
  csvText<Line>('type', (l) => str(l['type'])),
  csvText<Line>('dealId', (l) => str(l['dealId'])),
  csvNumber<Line>('credit', (l) => str(l['credit'])),
  csvNumber<Line>('amount', (l) => str(l['amount'])),
  csvText<Line>('currency', (l) => str(l['currency'])),
  csvText<Line>('reason', (l) => str(l['reason'])),
  csvText<Line>('closedPeriodKey', (l) => str(l['closedPeriodKey'])),
  csvText<Line>('note', (l) => str(l['note'])),
  csvText<Line>('sourceEventIds', (l) =>
    Array.isArray(l['sourceEventIds']) ? l['sourceEventIds'].join(' ') : undefined,
  ),
  csvText<Line>('appliesTo', (l) => str(l['appliesTo'])),
  csvText<Line>('eventId', (l) => str(l['eventId'])),
  csvText<Line>('postedAt', (l) => str(l['postedAt'])),
];

@ApiTags('governance')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'No valid bearer token (problem+json).' })
@UseFilters(CommissionErrorFilter)
@Controller('v1')
export class GovernanceController {
  constructor(
    private readonly periodClose: PeriodCloseService,
    private readonly approvals: ApprovalsService,
    private readonly adjustments: AdjustmentsService,
    private readonly dealApprovals: DealApprovalsService,
    private readonly lists: GovernanceLists,
    private readonly statements: StatementsService,
    private readonly access: AccessPolicy,
  ) {}

  @Get('periods')
  @Roles('admin', 'manager')
  @ApiOperation({
    summary:
      'Periods of the tenant that have ever been closed (closed, paid, or reopened), the latest close or reopen first.',
  })
  @ApiOkResponse({ type: PeriodPageDto })
  @ApiResponse({ status: 400, description: 'Bad status, limit or cursor (problem+json).' })
  @ApiResponse({ status: 403, description: 'Not an admin or manager (problem+json).' })
  async periods(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PeriodsQueryDto,
  ): Promise<Page<PeriodView>> {
    return this.lists.periods(principal.tenantId, {
      reps: await this.access.visibleReps(principal),
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      limit: query.limit === undefined ? 100 : Number(query.limit),
    });
  }

  @Get('periods/:periodKey')
  @Roles('admin', 'manager')
  @ApiOperation({
    summary:
      "A period's state (open, closed or paid), who closed, reopened and paid it, and its statements by status.",
    description:
      'A period nobody closed is open, with its statements counted. Managers see the counts of their teams’ reps.',
  })
  @ApiOkResponse({ type: PeriodDto })
  @ApiResponse({ status: 400, description: 'Not a plan period key (problem+json).' })
  @ApiResponse({ status: 403, description: 'Not an admin or manager (problem+json).' })
  async period(
    @CurrentPrincipal() principal: Principal,
    @Param('periodKey') periodKey: string,
  ): Promise<PeriodView> {
    return this.lists.period(principal.tenantId, periodKey, await this.access.visibleReps(principal));
  }

  @Post('periods/:periodKey/close')
  @Roles('admin')
  @ApiOperation({
    summary:
      "Close a period: every statement with that key is frozen; later changes are booked in the rep's open period.",
    description:
      'Idempotent: closing a closed period answers 200 and publishes nothing. Emits pacer.commission.period_closed.v1 per statement.',
  })
  @ApiResponse({ status: 201, type: PeriodStateDto, description: 'Closed now.' })
  @ApiOkResponse({ type: PeriodStateDto, description: 'Was already closed.' })
  @ApiResponse({ status: 400, description: 'Not a plan period key (problem+json).' })
  async close(
    @CurrentPrincipal() principal: Principal,
    @Param('periodKey') periodKey: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PeriodStateDto> {
    const outcome = await this.periodClose.close(principal, periodKey);
    res.status(outcome.changed ? HttpStatus.CREATED : HttpStatus.OK);
    return outcome.body;
  }

  @Post('periods/:periodKey/reopen')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Reopen a closed (not paid) period; audited. Adjustments already booked in later periods stay there.',
    description:
      'The reopened statements are recalculated against their own lines plus the prior-period adjustments booked for them, so only changes from now on are posted to them. Idempotent on an open period (200).',
  })
  @ApiResponse({ status: 201, type: PeriodStateDto, description: 'Reopened now.' })
  @ApiOkResponse({ type: PeriodStateDto, description: 'Was not closed.' })
  @ApiResponse({ status: 409, description: 'The period was paid out (problem+json, period-paid).' })
  async reopen(
    @CurrentPrincipal() principal: Principal,
    @Param('periodKey') periodKey: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PeriodStateDto> {
    const outcome = await this.periodClose.reopen(principal, periodKey);
    res.status(outcome.changed ? HttpStatus.CREATED : HttpStatus.OK);
    return outcome.body;
  }

  @Post('reps/:repId/statements/:periodKey/approve')
  @HttpCode(HttpStatus.OK)
  @Roles('admin', 'manager')
  @ApiOperation({
    summary: "Approve a statement (an admin, or the manager of the rep's team at the period's end).",
    description:
      'Optional body {version}: 409 statement-changed when the statement moved on since. Approving an approved statement answers 200. A later change returns it to draft.',
  })
  @ApiBody({ type: ApproveStatementDto, required: false })
  @ApiOkResponse({ type: StatementHeadDto })
  @ApiResponse({ status: 403, description: 'Not an admin nor the manager at period end (problem+json).' })
  @ApiResponse({ status: 404, description: 'No such statement (problem+json).' })
  @ApiResponse({ status: 409, description: 'statement-changed or statement-paid (problem+json).' })
  async approve(
    @CurrentPrincipal() principal: Principal,
    @Param('repId') repId: string,
    @Param('periodKey') periodKey: string,
    @Body() dto: ApproveStatementDto,
  ): Promise<StatementHeadDto> {
    checkId('repId', repId);
    return (await this.approvals.approve(principal, repId, periodKey, dto?.version)).body;
  }

  @Post('periods/:periodKey/payout')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Pay a closed period: every statement must be approved; emits pacer.commission.payout.v1 per rep and currency.',
    description:
      'Refused (409 statements-unapproved) while any statement is not approved, naming them. Idempotent once paid (200).',
  })
  @ApiResponse({ status: 201, type: PayoutResultDto, description: 'Paid now.' })
  @ApiOkResponse({ type: PayoutResultDto, description: 'Was already paid.' })
  @ApiResponse({ status: 409, description: 'period-open or statements-unapproved (problem+json).' })
  async payout(
    @CurrentPrincipal() principal: Principal,
    @Param('periodKey') periodKey: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PayoutResultDto> {
    const outcome = await this.approvals.payout(principal, periodKey);
    res.status(outcome.changed ? HttpStatus.CREATED : HttpStatus.OK);
    return outcome.body;
  }

  @Get('periods/:periodKey/payout.csv')
  @Roles('admin')
  @ApiOperation({
    summary:
      'The payroll file of a paid period: repId,periodKey,currency,total,statementId,statementVersion (streamed).',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'CSV, one row per rep and currency.',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 409, description: 'The period has not been paid out (problem+json).' })
  async payoutCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('periodKey') periodKey: string,
    @Res() res: Response,
  ): Promise<void> {
    const rows = await this.approvals.payoutFile(principal.tenantId, periodKey);
    await sendCsv(res, `payout-${periodKey}.csv`, PAYOUT_COLUMNS, rows);
  }

  @Get('reps/:repId/statements/:periodKey.csv')
  @Roles('admin', 'manager', 'rep')
  @ApiOperation({
    summary: 'A statement as CSV: one row per ledger line; text cells neutralised against formulas.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 404, description: 'No such statement (problem+json).' })
  async statementCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('repId') repId: string,
    @Param('periodKey') periodKey: string,
    @Res() res: Response,
  ): Promise<void> {
    const range = await this.statements.periodRange(principal.tenantId, periodKey);
    await this.access.assertCanRead(principal, repId, range);
    const head =
      range === undefined ? undefined : await this.lists.statementHead(principal.tenantId, repId, periodKey);
    if (head === undefined) throw CommissionError.notFound(`A statement of rep ${repId} for ${periodKey}`);
    const statementColumns = [
      csvText<Line>('repId', () => head.repId),
      csvText<Line>('periodKey', () => head.periodKey),
      csvText<Line>('statementId', () => head.statementId),
      csvNumber<Line>('statementVersion', () => head.version),
      csvText<Line>('status', () => head.status),
      csvNumber<Line>('statementTotal', () => head.total),
    ];
    await sendCsv(
      res,
      `statement-${repId}-${periodKey}.csv`,
      [...statementColumns, ...STATEMENT_LINE_COLUMNS],
      this.lists.statementLines(principal.tenantId, repId, periodKey),
    );
  }

  @Post('adjustments')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Post a manual adjustment (line kind manual_adjustment, delta pacer.commission.manually_adjusted.v1).',
    description:
      "To a closed period's statement it is booked in the rep's open period containing now, the note naming the closed period.",
  })
  @ApiResponse({ status: 201, type: ManualAdjustmentResultDto })
  @ApiResponse({ status: 422, description: 'The rep has no plan period with that key (problem+json).' })
  async adjust(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ManualAdjustmentDto,
  ): Promise<ManualAdjustmentResultDto> {
    return this.adjustments.adjust(principal, dto);
  }

  @Post('reps/:repId/statements/:periodKey/lines/:lineId/disputes')
  @Roles('rep')
  @ApiOperation({ summary: 'A rep disputes a line of their own statement, with a comment.' })
  @ApiResponse({ status: 201, type: DisputeDto })
  @ApiResponse({ status: 403, description: 'Not the rep’s own statement (problem+json).' })
  @ApiResponse({ status: 404, description: 'No such line (problem+json).' })
  async openDispute(
    @CurrentPrincipal() principal: Principal,
    @Param('repId') repId: string,
    @Param('periodKey') periodKey: string,
    @Param('lineId') lineId: string,
    @Body() dto: OpenDisputeDto,
  ): Promise<DisputeDto> {
    checkId('repId', repId);
    checkId('lineId', lineId);
    assertPeriodKey(periodKey);
    return this.adjustments.openDispute(principal, repId, periodKey, lineId, dto.comment);
  }

  @Post('disputes/:disputeId/resolve')
  @HttpCode(HttpStatus.OK)
  @Roles('admin')
  @ApiOperation({ summary: 'Resolve a dispute, with or without a manual adjustment.' })
  @ApiOkResponse({ type: DisputeDto })
  @ApiResponse({ status: 404, description: 'No such dispute (problem+json).' })
  @ApiResponse({ status: 409, description: 'Already resolved (problem+json).' })
  async resolveDispute(
    @CurrentPrincipal() principal: Principal,
    @Param('disputeId') disputeId: string,
    @Body() dto: ResolveDisputeDto,
  ): Promise<DisputeDto> {
    if (!UUID.test(disputeId)) throw CommissionError.notFound(`Dispute ${disputeId}`);
    return this.adjustments.resolveDispute(principal, disputeId, dto);
  }

  @Get('disputes')
  @Roles('admin', 'manager', 'rep')
  @ApiOperation({
    summary: 'Disputes (admins all; managers their teams’ reps; reps their own), oldest first.',
  })
  @ApiOkResponse({ type: DisputePageDto })
  async disputes(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DisputesQueryDto,
  ): Promise<Page<DisputeView>> {
    const reps = await this.access.visibleReps(principal);
    return this.lists.disputes(principal.tenantId, {
      reps,
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.repId !== undefined ? { repId: query.repId } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      limit: query.limit === undefined ? 100 : Number(query.limit),
    });
  }

  @Post('deals/:dealId/approve')
  @HttpCode(HttpStatus.OK)
  @Roles('admin', 'manager')
  @ApiOperation({
    summary:
      'Approve a deal waiting for approval (dealsRequireApproval): it pays from now, in its own period if open, else as a prior-period adjustment.',
  })
  @ApiBody({ type: DealDecisionDto, required: false })
  @ApiOkResponse({ type: DealDto })
  @ApiResponse({ status: 403, description: 'Not an admin nor the manager of the deal’s rep (problem+json).' })
  @ApiResponse({ status: 404, description: 'No such deal (problem+json).' })
  @ApiResponse({ status: 409, description: 'deal-not-pending or deal-decided (problem+json).' })
  async approveDeal(
    @CurrentPrincipal() principal: Principal,
    @Param('dealId') dealId: string,
    @Body() dto: DealDecisionDto,
  ): Promise<DealDto> {
    checkId('dealId', dealId);
    return (await this.dealApprovals.decideDeal(principal, dealId, 'approved', dto?.reason)).body;
  }

  @Post('deals/:dealId/reject')
  @HttpCode(HttpStatus.OK)
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Reject a deal waiting for approval: it never pays.' })
  @ApiBody({ type: DealDecisionDto, required: false })
  @ApiOkResponse({ type: DealDto })
  @ApiResponse({ status: 403, description: 'Not an admin nor the manager of the deal’s rep (problem+json).' })
  @ApiResponse({ status: 404, description: 'No such deal (problem+json).' })
  @ApiResponse({ status: 409, description: 'deal-not-pending or deal-decided (problem+json).' })
  async rejectDeal(
    @CurrentPrincipal() principal: Principal,
    @Param('dealId') dealId: string,
    @Body() dto: DealDecisionDto,
  ): Promise<DealDto> {
    checkId('dealId', dealId);
    return (await this.dealApprovals.decideDeal(principal, dealId, 'rejected', dto?.reason)).body;
  }

  @Get('deals')
  @Roles('admin', 'manager', 'rep')
  @ApiOperation({
    summary: 'Deals recorded by reps that wait for approval (status=pending, the default) or were decided.',
  })
  @ApiOkResponse({ type: DealPageDto })
  async deals(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DealsQueryDto,
  ): Promise<Page<DealView>> {
    const reps = await this.access.visibleReps(principal);
    return this.lists.deals(principal.tenantId, {
      reps,
      status: query.status ?? 'pending',
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      limit: query.limit === undefined ? 100 : Number(query.limit),
    });
  }

  @Get('statements')
  @Roles('admin', 'manager')
  @ApiOperation({
    summary:
      "Statements of a period with status and version: an admin's any team (or all); a manager's their teams'.",
  })
  @ApiOkResponse({ type: StatementHeadPageDto })
  @ApiResponse({ status: 403, description: 'A manager asking for a team they do not manage (problem+json).' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: StatementsQueryDto,
  ): Promise<Page<StatementHeadView>> {
    assertPeriodKey(query.periodKey);
    let reps: 'all' | Set<string> = 'all';
    if (!hasRole(principal, 'admin')) {
      const managerId = principal.repId ?? principal.subject;
      if (query.teamId !== undefined) {
        if (!(await this.lists.managesTeam(principal.tenantId, managerId, query.teamId))) {
          throw new CommissionError('forbidden', `You do not manage team ${query.teamId}.`);
        }
      } else {
        reps = await this.access.visibleReps(principal);
      }
    }
    return this.lists.statements(principal.tenantId, {
      periodKey: query.periodKey,
      reps,
      ...(query.teamId !== undefined ? { teamId: query.teamId } : {}),
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      limit: query.limit === undefined ? 100 : Number(query.limit),
    });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
