import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  DealView,
  DisputeView,
  ManualAdjustmentView,
  Page,
  PeriodStateView,
  PeriodView,
  StatementHeadView,
} from './governance.views';

// Response bodies as OpenAPI schemas (the service returns the interfaces these classes implement).

export class PeriodStateDto implements PeriodStateView {
  @ApiProperty({ example: 'FY2026-Q1' }) periodKey!: string;
  @ApiProperty() closed!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) closedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The sub of the admin who closed it.' })
  closedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) paidAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) paidBy!: string | null;
  @ApiProperty({ description: 'Statements of the period in the tenant.' }) statements!: number;
}

export class PeriodStatementCountsDto {
  @ApiProperty({ example: 12 }) total!: number;
  @ApiProperty({ example: 2 }) draft!: number;
  @ApiProperty({ example: 10 }) approved!: number;
  @ApiProperty({ example: 0 }) paid!: number;
}

export class PeriodDto implements PeriodView {
  @ApiProperty({ example: 'FY2026-Q1' }) periodKey!: string;
  @ApiProperty({ enum: ['open', 'closed', 'paid'] }) status!: 'open' | 'closed' | 'paid';
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Null while open.' })
  closedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The sub of the admin who closed it; null while open.' })
  closedBy!: string | null;
  @ApiPropertyOptional({ format: 'date-time', description: 'The last reopen, if it was ever reopened.' })
  reopenedAt?: string;
  @ApiPropertyOptional() reopenedBy?: string;
  @ApiPropertyOptional({ format: 'date-time' }) paidAt?: string;
  @ApiPropertyOptional() paidBy?: string;
  @ApiProperty({
    type: PeriodStatementCountsDto,
    description: "Statements of the period by status (a manager's: those of the reps of their teams).",
  })
  statements!: PeriodStatementCountsDto;
}

export class PeriodPageDto implements Page<PeriodView> {
  @ApiProperty({ type: [PeriodDto] }) items!: PeriodDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class PayoutResultDto extends PeriodStateDto {
  @ApiProperty({ description: 'pacer.commission.payout.v1 events (rows of the payroll file).' })
  payouts!: number;
}

export class StatementHeadDto implements StatementHeadView {
  @ApiProperty({ example: 'rep-ana/FY2026-Q1' }) statementId!: string;
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({ example: 'FY2026-Q1' }) periodKey!: string;
  @ApiProperty({ enum: ['draft', 'approved', 'paid'] }) status!: 'draft' | 'approved' | 'paid';
  @ApiProperty({
    description: 'Counts the changes of the statement’s money; an approval is for one version.',
  })
  version!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: '11000.00', description: 'The sum of the statement’s ledger lines.' })
  total!: string;
  @ApiProperty({ type: String, nullable: true }) approvedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) approvedAt!: string | null;
  @ApiProperty({ description: 'The period is closed: the statement is frozen.' }) closed!: boolean;
}

export class StatementHeadPageDto implements Page<StatementHeadView> {
  @ApiProperty({ type: [StatementHeadDto] }) items!: StatementHeadDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ManualAdjustmentResultDto implements ManualAdjustmentView {
  @ApiProperty({ format: 'uuid' }) adjustmentId!: string;
  @ApiProperty({ example: 'rep-ana' }) repId!: string;
  @ApiProperty({
    example: 'FY2026-Q2',
    description: 'Where the line is booked (the open period when the one asked for is closed).',
  })
  periodKey!: string;
  @ApiProperty({ example: 'FY2026-Q1' }) requestedPeriodKey!: string;
  @ApiProperty({ example: 'manual:7d3c0a52-8f5e-4f63-a2a8-5b7d0c1e9f10' }) lineId!: string;
  @ApiProperty({ example: '-150.00' }) amount!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'uuid', description: 'The pacer.commission.manually_adjusted.v1 event id.' })
  eventId!: string;
  @ApiPropertyOptional({ format: 'uuid' }) disputeId?: string;
}

export class DisputeDto implements DisputeView {
  @ApiProperty({ format: 'uuid' }) disputeId!: string;
  @ApiProperty() repId!: string;
  @ApiProperty() periodKey!: string;
  @ApiProperty({ example: 'deal:D17' }) lineId!: string;
  @ApiProperty() comment!: string;
  @ApiProperty({ enum: ['open', 'resolved'] }) status!: 'open' | 'resolved';
  @ApiProperty() openedBy!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: String, nullable: true }) resolution!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '480.00' }) adjustmentAmount!: string | null;
  @ApiProperty({ type: ManualAdjustmentResultDto, nullable: true })
  adjustment!: ManualAdjustmentResultDto | null;
  @ApiProperty({ type: String, nullable: true }) resolvedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) resolvedAt!: string | null;
}

export class DisputePageDto implements Page<DisputeView> {
  @ApiProperty({ type: [DisputeDto] }) items!: DisputeDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class DealDto implements DealView {
  @ApiProperty({ example: 'deal-17' }) dealId!: string;
  @ApiProperty({ example: 'rep-ana', description: 'The deal’s primary rep.' }) repId!: string;
  @ApiProperty() activityId!: string;
  @ApiProperty({ example: '48000.00' }) amount!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ description: 'The CloudEvent id of the deal_won.' }) activityEventId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The sub that recorded the deal.' })
  recordedBy!: string | null;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected', 'not_required'] })
  status!: 'pending' | 'approved' | 'rejected' | 'not_required';
  @ApiProperty({ type: String, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

export class DealPageDto implements Page<DealView> {
  @ApiProperty({ type: [DealDto] }) items!: DealDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
