import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { KPI_METRICS, SPRINT_ITEM_STATUSES, SprintItemStatus } from '@pacer/contracts';
import { IsCalendarDate, IsFreeText, IsId, IsOmittable } from '@pacer/http';

export class PlanSprintDto {
  @ApiPropertyOptional({ description: 'Client-chosen id; a UUID is generated when omitted', minLength: 1, maxLength: 128 })
  @IsOmittable()
  @IsId()
  sprintId?: string;

  @ApiProperty({ description: 'First day, a tenant-calendar date (1970 to ten years ahead)', format: 'date', example: '2026-11-30' })
  @IsCalendarDate()
  startDate!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 366, default: 7 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(366)
  lengthDays?: number;

  @ApiPropertyOptional({ example: 'Book 12 demos', default: '' })
  @IsOmittable()
  @IsFreeText()
  goal?: string;
}

export class SprintItemDto {
  @ApiProperty({ example: 'i-acme-contract', minLength: 1, maxLength: 128 })
  @IsId()
  itemId!: string;

  @ApiProperty({ example: 'Send ACME the contract', minLength: 1, maxLength: 500 })
  @IsFreeText({ min: 1, max: 500 })
  title!: string;

  @ApiPropertyOptional({ example: 'opp-42', minLength: 1, maxLength: 128 })
  @IsOmittable()
  @IsId()
  opportunityId?: string;

  @ApiPropertyOptional({ example: '2026-12-02', format: 'date', description: 'A calendar date at most ten years ahead' })
  @IsOmittable()
  @IsCalendarDate()
  dueDate?: string;
}

export class CommitmentDto {
  @ApiPropertyOptional({
    description: `Target per KPI metric name (${KPI_METRICS.join(', ')}) in the metric's own representation: a decimal string for money, a number >= 0 for counts and ratios`,
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: '^\\d+(\\.\\d{1,2})?$' }] },
    example: { calls: 60, meetingsHeld: 5, revenueWon: '20000.00' },
  })
  @IsOmittable()
  @IsObject()
  targets?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [SprintItemDto] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SprintItemDto)
  items?: SprintItemDto[];
}

export class ItemStatusDto {
  @ApiProperty({ enum: SPRINT_ITEM_STATUSES })
  @IsIn(SPRINT_ITEM_STATUSES)
  status!: SprintItemStatus;
}

export class VelocityQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 52,
    default: 5,
    description: 'How many of the latest closed sprints',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(52)
  last?: number;
}
