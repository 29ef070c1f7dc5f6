import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { KPI_METRICS, PLAN_PERIODS, PlanPeriod, TIER_MODES, TierMode } from '@pacer/contracts';
import {
  IsCalendarDate,
  IsCurrencyCode,
  IsDecimalString,
  IsFreeText,
  IsId,
  IsMoney,
  IsOmittable,
} from '@pacer/http';
import { INPUT_LIMITS } from '@pacer/sales-domain';
import { SPIFF_METRICS } from '../calculation/spiff-metrics';

// Decorators run bottom-up and a property's checks stop at the first failure, so the type check is
// written last.

export class PlanTierDto {
  @ApiProperty({
    description: 'Attainment (credited / quota) where the band starts; the first tier starts at 0.',
    example: '1.00',
  })
  @IsDecimalString()
  @IsString()
  from!: string;

  @ApiProperty({ description: 'Commission rate of the band, in [0, 1].', example: '0.08' })
  @IsDecimalString()
  @IsString()
  rate!: string;
}

export class PlanSpiffDto {
  @ApiProperty({ minLength: INPUT_LIMITS.idMinLength, maxLength: INPUT_LIMITS.idMaxLength, example: 'club' })
  @IsId()
  id!: string;

  @ApiProperty({
    enum: SPIFF_METRICS,
    description: `A KPI metric commission computes (${SPIFF_METRICS.join(', ')}).`,
  })
  @MaxLength(100)
  @IsString()
  metric!: (typeof KPI_METRICS)[number];

  @ApiProperty({ example: '1.00' })
  @IsDecimalString()
  @IsString()
  threshold!: string;

  @ApiProperty({ example: '1000.00' })
  @IsMoney()
  amount!: string;
}

/** `PUT /v1/plans/{planId}`: a new, immutable version of the plan (SPEC §6). */
export class PlanDto {
  @ApiProperty({ example: 'AE 2026', minLength: 1, maxLength: 200 })
  @IsFreeText({ min: 1, max: 200 })
  name!: string;

  @ApiProperty({
    example: 'USD',
    description: 'ISO 4217; deals in another currency are not credited (exceptions).',
  })
  @IsCurrencyCode()
  currency!: string;

  @ApiProperty({ enum: PLAN_PERIODS })
  @IsIn(PLAN_PERIODS)
  period!: PlanPeriod;

  @ApiProperty({ type: [PlanTierDto] })
  @ValidateNested({ each: true })
  @Type(() => PlanTierDto)
  @ArrayMaxSize(100)
  @ArrayMinSize(1)
  @IsArray()
  tiers!: PlanTierDto[];

  @ApiProperty({ enum: TIER_MODES })
  @IsIn(TIER_MODES)
  tierMode!: TierMode;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'Limit of the period total (lines + SPIFFs); null for none.',
  })
  @IsMoney(true)
  @IsOptional()
  cap?: string | null;

  @ApiPropertyOptional({ type: [PlanSpiffDto], default: [] })
  @ValidateNested({ each: true })
  @Type(() => PlanSpiffDto)
  @ArrayMaxSize(100)
  @IsArray()
  @IsOmittable()
  spiffs?: PlanSpiffDto[];

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 3650, default: 0, example: 90 })
  @Max(3650)
  @Min(0)
  @IsInt()
  @IsOmittable()
  clawbackDays?: number;

  @ApiProperty({
    example: '2026-01-01',
    format: 'date',
    description:
      'Tenant-calendar date (1970 to ten years ahead) from which this version governs periods starting on or after it.',
  })
  @IsCalendarDate()
  effectiveFrom!: string;
}

/** `PUT /v1/reps/{repId}/plan`. */
export class AssignPlanDto {
  @ApiProperty({
    example: 'ae-2026',
    minLength: INPUT_LIMITS.idMinLength,
    maxLength: INPUT_LIMITS.idMaxLength,
  })
  @IsId()
  planId!: string;

  @ApiProperty({
    example: '2026-01-01',
    format: 'date',
    description:
      'Tenant-calendar date (1970 to ten years ahead); mid-period it takes effect at the next period boundary.',
  })
  @IsCalendarDate()
  effectiveFrom!: string;
}

/** `PUT /v1/reps/{repId}/quotas/{periodKey}`. */
export class QuotaDto {
  @ApiProperty({ example: '100000.00', description: "In the currency of the rep's plan for that period." })
  @IsMoney(true)
  amount!: string;
}
