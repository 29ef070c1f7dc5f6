import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { KPI_METRICS, KPI_SCOPES, KpiMetric, KpiScope, PERIOD_TYPES, PeriodType } from '@pacer/contracts';
import { IsDateOrInstant, IsId } from '@pacer/http';

export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10_000;


/** `GET /v1/kpis`: snapshots of one scope, optionally one period type and key or periods overlapping [from, to). */
export class KpisQueryDto {
  @ApiProperty({ enum: KPI_SCOPES })
  @IsIn(KPI_SCOPES)
  scope!: KpiScope;

  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 128, description: "Rep or team id; defaults to the tenant id for org and to the caller's rep for rep." })
  @IsOptional()
  @IsId()
  scopeId?: string;

  @ApiPropertyOptional({ enum: PERIOD_TYPES, description: 'Period type; all types when omitted.' })
  @IsOptional()
  @IsIn(PERIOD_TYPES)
  period?: PeriodType;

  @ApiPropertyOptional({ type: String, description: 'One period key (2026-11-27, 2026-W48, 2026-11, FY2027-Q1, FY2027 or a sprint id); needs period.' })
  @IsOptional()
  @IsId()
  key?: string;

  @ApiPropertyOptional({ type: String, description: 'Periods ending after this instant (or local date).', example: '2026-11-01' })
  @IsOptional()
  @IsDateOrInstant()
  from?: string;

  @ApiPropertyOptional({ type: String, description: 'Periods starting before this instant (or local date).', example: '2026-12-01' })
  @IsOptional()
  @IsDateOrInstant()
  to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_LIMIT)
  @Min(1)
  @IsInt()
  limit?: number;
}

/** `GET /v1/leaderboard`: reps of a team (or of the org) ranked by one metric of one period. */
export class LeaderboardQueryDto {
  @ApiPropertyOptional({ type: String, description: "The team whose members are ranked; the whole org's reps when omitted." })
  @IsOptional()
  @IsId()
  teamId?: string;

  @ApiProperty({ enum: PERIOD_TYPES })
  @IsIn(PERIOD_TYPES)
  period!: PeriodType;

  @ApiPropertyOptional({
    type: String,
    description: "Period key (or sprint id); defaults to the current period in the tenant's zone and calendar (for a sprint: the team's running one).",
    example: '2026-11',
  })
  @IsOptional()
  @IsId()
  key?: string;

  @ApiPropertyOptional({ enum: KPI_METRICS, default: 'revenueWon' })
  @IsOptional()
  @IsIn(KPI_METRICS)
  metric?: KpiMetric;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_LIMIT)
  @Min(1)
  @IsInt()
  limit?: number;
}

export class KpiPeriodDto {
  @ApiProperty({ enum: PERIOD_TYPES }) type!: PeriodType;
  @ApiProperty() key!: string;
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time' }) end!: string;
}

export class KpiSnapshotDto {
  @ApiProperty({ enum: KPI_SCOPES }) scope!: KpiScope;
  @ApiProperty() scopeId!: string;
  @ApiProperty({ type: KpiPeriodDto }) period!: KpiPeriodDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'All 22 metrics of SPEC §5 (snapshots published before issue 17 lack the last four): counts as integers, money as decimal strings, ratios as numbers or null.',
  })
  metrics!: Record<string, unknown>;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
}

export class KpiPageDto {
  @ApiProperty({ type: [KpiSnapshotDto] }) items!: KpiSnapshotDto[];
}

export class LeaderboardEntryDto {
  @ApiProperty({ type: 'integer', description: 'Position, 1-based; equal values are ordered by repId.' }) rank!: number;
  @ApiProperty() repId!: string;
  @ApiProperty({ type: String, nullable: true, description: "The rep's display name from the roster; null when none was received." })
  name!: string | null;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string' }], nullable: true }) value!: number | string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Revision of the rep snapshot; null when the rep has none.' })
  revision!: number | null;
  @ApiProperty({ format: 'date-time', nullable: true }) asOf!: string | null;
}

export class LeaderboardDto {
  @ApiProperty({ type: String, nullable: true }) teamId!: string | null;
  @ApiProperty({ enum: PERIOD_TYPES }) period!: PeriodType;
  @ApiProperty() key!: string;
  @ApiProperty({ enum: KPI_METRICS }) metric!: KpiMetric;
  @ApiProperty({ type: [LeaderboardEntryDto] }) entries!: LeaderboardEntryDto[];
}

export class PartitionOffsetDto {
  @ApiProperty() topic!: string;
  @ApiProperty({ type: 'integer' }) partition!: number;
  @ApiProperty({ description: 'Offset (as a string: Kafka offsets are 64-bit).' }) offset!: string;
}

export class RebuildStatusDto {
  @ApiProperty({ description: 'The tenant rebuilt, or * for a platform-wide rebuild.' }) scope!: string;
  @ApiProperty({ type: 'integer', description: 'Increases with every rebuild of this scope (0: never rebuilt).' }) epoch!: number;
  @ApiProperty({ enum: ['idle', 'running', 'completed', 'failed'] }) status!: string;
  @ApiProperty({ description: 'context, activities, inbox, swap or done.' }) phase!: string;
  @ApiProperty() rebuilding!: boolean;
  @ApiProperty({ type: [PartitionOffsetDto], description: 'End offsets of the input partitions when the rebuild started.' })
  targets!: PartitionOffsetDto[];
  @ApiProperty({ type: [PartitionOffsetDto], description: 'Next offset the replay reads, per partition.' })
  progress!: PartitionOffsetDto[];
  @ApiProperty({ type: [String], description: 'Tenants already swapped in.' }) swapped!: string[];
  @ApiProperty({ type: 'integer', description: 'Failed runs so far (the rebuild fails for good at 3).' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last run failed; the failure reason once failed.' })
  reason!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) startedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) completedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) failedAt!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Snapshots that differed after the rebuild (and were published).' })
  republished!: number | null;
  @ApiProperty({ type: 'integer', description: 'Messages still to replay.' }) remaining!: number;
  @ApiProperty({ type: 'integer', description: 'Inputs that arrived during the rebuild, not yet folded into it.' }) parked!: number;
}
