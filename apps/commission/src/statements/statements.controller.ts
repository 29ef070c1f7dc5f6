import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { CommissionError } from '../commission.error';
import { CommissionErrorFilter } from '../http/commission-error.filter';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@pacer/auth';
import { CalendarError, parseInstant } from '@pacer/sales-domain';
import { AccessPolicy } from './access-policy.service';
import { EstimateDto, ExceptionsQueryDto } from './estimate.dto';
import { EstimateView, StatementListItem, StatementsService } from './statements.service';

@ApiTags('statements')
@ApiBearerAuth()
@UseFilters(CommissionErrorFilter)
@Controller('v1')
export class StatementsController {
  constructor(
    private readonly statements: StatementsService,
    private readonly access: AccessPolicy,
  ) {}

  @Get('reps/:repId/statements')
  @Roles('admin', 'manager', 'rep')
  @ApiOperation({ summary: "The rep's statements (one per plan period with deals), with totals." })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('repId') repId: string,
  ): Promise<{ repId: string; items: StatementListItem[] }> {
    await this.access.assertCanRead(principal, repId, { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER });
    return { repId, items: await this.statements.list(principal.tenantId, repId) };
  }

  @Get('reps/:repId/statements/:periodKey')
  @Roles('admin', 'manager', 'rep')
  @ApiOperation({
    summary: "A rep's commission statement for one plan period.",
    description:
      '`lines` is the ledger: every delta published for the period, in order, each one line with its kind, deal, credit, ' +
      'bands and rates, amount, reason and source event ids; `total` is their sum. `breakdown` is the current calculation ' +
      '(deal lines, retroactive adjustments, SPIFFs, cap), which sums to the same total.',
  })
  async statement(
    @CurrentPrincipal() principal: Principal,
    @Param('repId') repId: string,
    @Param('periodKey') periodKey: string,
    @Res() res: Response,
  ): Promise<void> {
    const range = await this.statements.periodRange(principal.tenantId, periodKey);
    await this.access.assertCanRead(principal, repId, range);
    const text =
      range === undefined
        ? undefined
        : await this.statements.statementText(principal.tenantId, repId, periodKey);
    if (text === undefined) throw CommissionError.notFound(`A statement of rep ${repId} for ${periodKey}`);
    res.status(200).type('application/json').send(text);
  }

  @Post('estimate')
  @HttpCode(200)
  @Roles('admin', 'manager', 'rep')
  @ApiOperation({
    summary: 'What a hypothetical deal won now (or at occurredAt) would pay the rep; changes nothing.',
  })
  async estimate(@CurrentPrincipal() principal: Principal, @Body() dto: EstimateDto): Promise<EstimateView> {
    await this.access.assertCanRead(principal, dto.repId);
    if (dto.occurredAt !== undefined) {
      try {
        parseInstant(dto.occurredAt);
      } catch (e) {
        if (e instanceof CalendarError)
          throw CommissionError.validation([{ path: 'occurredAt', message: 'is not a real instant' }]);
        throw e;
      }
    }
    return this.statements.estimate(principal.tenantId, dto);
  }

  @Get('exceptions')
  @Roles('admin', 'manager', 'rep')
  @ApiOperation({
    summary:
      'Deal credits that earn nothing, with the reason (currency not the plan’s, no plan, duplicate deal).',
  })
  async exceptions(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ExceptionsQueryDto,
  ): Promise<object> {
    const reps = await this.access.visibleReps(principal);
    return this.statements.exceptions(principal.tenantId, {
      reps,
      ...(query.repId !== undefined ? { repId: query.repId } : {}),
      ...(query.periodKey !== undefined ? { periodKey: query.periodKey } : {}),
      ...(query.reason !== undefined ? { reason: query.reason } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      limit: query.limit === undefined ? 100 : Number(query.limit),
    });
  }
}
