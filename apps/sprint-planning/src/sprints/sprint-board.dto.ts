import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SPRINT_ITEM_STATUSES } from '@pacer/contracts';

// The OpenAPI shape of GET /v1/sprints/{id}/board (the domain type is SprintBoard in
// domain/sprint/sprint-board.ts). Nested records whose keys are metric names stay open objects.

const METRIC_RECORD = { type: 'object', additionalProperties: true } as const;

export class BoardOpportunityDto {
  @ApiProperty() opportunityId!: string;
  @ApiProperty({ type: String, nullable: true, description: "The latest stage change's toStage; null before any.", example: 'negotiation' })
  stage!: string | null;
  @ApiProperty({ enum: ['open', 'won', 'lost'], description: 'won while a win is not cancelled, lost after a loss, else open.' })
  status!: 'open' | 'won' | 'lost';
  @ApiProperty({ type: String, nullable: true, example: '12000.00', description: 'The latest amount sent (creation or stage change).' })
  amount!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date', example: '2026-12-31' }) expectedCloseDate!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0.7' }) probability!: string | null;
}

export class BoardItemDto {
  @ApiProperty() itemId!: string;
  @ApiProperty() title!: string;
  @ApiPropertyOptional() opportunityId?: string;
  @ApiPropertyOptional({ format: 'date' }) dueDate?: string;
  @ApiProperty({ enum: SPRINT_ITEM_STATUSES }) status!: string;
  @ApiProperty({ description: 'In the commitment snapshotted at start.' }) committed!: boolean;
  @ApiProperty() addedAfterStart!: boolean;
  @ApiPropertyOptional() carriedFrom?: string;
  @ApiPropertyOptional() carriedTo?: string;
  @ApiPropertyOptional({
    type: BoardOpportunityDto,
    nullable: true,
    description: 'Only on items linked to an opportunity: its current state from the activity stream; null while nothing about it has arrived.',
  })
  opportunity?: BoardOpportunityDto | null;
}

export class BoardRepDto {
  @ApiProperty() repId!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['SDR', 'AE', 'AM', 'CSM', 'MANAGER'] }) role!: string | null;
  @ApiProperty({ ...METRIC_RECORD, description: 'Current targets per metric.' }) targets!: Record<string, unknown>;
  @ApiProperty({ ...METRIC_RECORD, nullable: true, description: 'Targets as committed at start.' }) committedTargets!: Record<string, unknown> | null;
  @ApiProperty({ ...METRIC_RECORD, description: "The KPI service's sprint snapshot metrics for the rep." }) actuals!: Record<string, unknown>;
  @ApiProperty({ type: 'integer', nullable: true }) actualsRevision!: number | null;
  @ApiProperty({ ...METRIC_RECORD, description: 'actual / target per target.' }) progress!: Record<string, unknown>;
  @ApiProperty({ type: [BoardItemDto] }) items!: BoardItemDto[];
  @ApiProperty({ type: [BoardItemDto] }) removedItems!: BoardItemDto[];
  @ApiProperty({ type: 'integer' }) itemsTotal!: number;
  @ApiProperty({ type: 'integer' }) itemsDone!: number;
}

export class SprintBoardDto {
  @ApiProperty() sprintId!: string;
  @ApiProperty() teamId!: string;
  @ApiProperty({ enum: ['planned', 'active', 'closed'] }) status!: string;
  @ApiProperty({ format: 'date' }) startDate!: string;
  @ApiProperty({ type: 'integer' }) lengthDays!: number;
  @ApiProperty() goal!: string;
  @ApiProperty() timezone!: string;
  @ApiProperty({ type: 'object', properties: { start: { type: 'string', format: 'date-time' }, end: { type: 'string', format: 'date-time' } } })
  window!: { start: string; end: string };
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: [BoardRepDto] }) reps!: BoardRepDto[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Team targets, actuals and progress (like with like) and the KPI team snapshot.' })
  team!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Daily cumulative series per additive target metric.' })
  burnup!: Record<string, unknown>;
}
