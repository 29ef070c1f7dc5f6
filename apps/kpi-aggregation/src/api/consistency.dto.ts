import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export const CONSISTENCY_PERIODS = ['month', 'quarter'] as const;
export type ConsistencyPeriod = (typeof CONSISTENCY_PERIODS)[number];
export const DEFAULT_CONSISTENCY_LAST = 6;
/** Two years of months, six of quarters: enough history for a trend, bounded work per request. */
export const MAX_CONSISTENCY_LAST = 24;

/** `GET /v1/reps/{repId}/consistency` and `/v1/teams/{teamId}/consistency`. */
export class ConsistencyQueryDto {
  @ApiProperty({ enum: CONSISTENCY_PERIODS, description: 'Month or fiscal quarter: the periods quotas are set for.' })
  @IsIn(CONSISTENCY_PERIODS)
  period!: ConsistencyPeriod;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_CONSISTENCY_LAST,
    default: DEFAULT_CONSISTENCY_LAST,
    description: 'How many of the most recent ended periods with a quota to take.',
  })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_CONSISTENCY_LAST)
  @Min(1)
  @IsInt()
  last?: number;
}

export class AttainmentPeriodDto {
  @ApiProperty({ description: 'Period key (2026-11, FY2027-Q1).', example: '2026-11' }) key!: string;
  @ApiProperty({ format: 'date-time', description: 'First instant of the period in the tenant time zone.' }) start!: string;
  @ApiProperty({ format: 'date-time', description: 'First instant after it; at or before now.' }) end!: string;
  @ApiProperty({ type: String, example: '100000.00', description: "The rep's quota for exactly this period." }) quota!: string;
  @ApiProperty({ type: String, example: '90000.00' }) revenueWon!: string;
  @ApiProperty({ type: 'number', example: 0.9, description: 'revenueWon / quota, unrounded (the KPI snapshot\u2019s value).' })
  quotaAttainment!: number;
  @ApiProperty({ type: 'integer', description: 'Revision of the rep snapshot this is read from.' }) revision!: number;
}

export class RepConsistencyDto {
  @ApiProperty() repId!: string;
  @ApiProperty({ type: String, nullable: true, description: "The rep's display name from the roster; null when none was received." })
  name!: string | null;
  @ApiProperty({ enum: CONSISTENCY_PERIODS }) period!: ConsistencyPeriod;
  @ApiProperty({ type: 'integer', description: 'The N asked for; `periods` may hold fewer when the rep has less history.' }) last!: number;
  @ApiProperty({ type: [AttainmentPeriodDto], description: 'The last N ended periods with a non-zero quota, oldest first.' })
  periods!: AttainmentPeriodDto[];
  @ApiProperty({ type: 'number', nullable: true, description: 'Mean attainment; null without periods.' }) mean!: number | null;
  @ApiProperty({ type: 'number', nullable: true, description: 'Population standard deviation of the attainments; null without periods.' })
  standardDeviation!: number | null;
  @ApiProperty({ type: 'number', nullable: true, description: 'standardDeviation / mean; null without periods or with a mean of 0.' })
  coefficientOfVariation!: number | null;
}

export class TeamConsistencyDto {
  @ApiProperty() teamId!: string;
  @ApiProperty({ enum: CONSISTENCY_PERIODS }) period!: ConsistencyPeriod;
  @ApiProperty({ type: 'integer' }) last!: number;
  @ApiProperty({ type: [RepConsistencyDto], description: "The team's selling members now (not its MANAGER), by name then repId." })
  members!: RepConsistencyDto[];
}
