import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { KPI_METRICS, SPRINT_ITEM_STATUSES, SprintItemStatus } from '@pacer/contracts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class PlanSprintDto {
  @ApiPropertyOptional({ description: 'Client-chosen id; a UUID is generated when omitted' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  sprintId?: string;

  @ApiProperty({ description: 'First day, a tenant-calendar date', example: '2026-11-30' })
  @IsString()
  @Matches(DATE, { message: 'startDate must be a date yyyy-MM-dd' })
  startDate!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 366, default: 7 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366)
  lengthDays?: number;

  @ApiPropertyOptional({ example: 'Book 12 demos', default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  goal?: string;
}

export class SprintItemDto {
  @ApiProperty({ example: 'i-acme-contract' })
  @IsString()
  @Length(1, 200)
  itemId!: string;

  @ApiProperty({ example: 'Send ACME the contract' })
  @IsString()
  @Length(1, 500)
  title!: string;

  @ApiPropertyOptional({ example: 'opp-42' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  opportunityId?: string;

  @ApiPropertyOptional({ example: '2026-12-02' })
  @IsOptional()
  @IsString()
  @Matches(DATE, { message: 'dueDate must be a date yyyy-MM-dd' })
  dueDate?: string;
}

export class CommitmentDto {
  @ApiPropertyOptional({
    description: `Target per KPI metric name (${KPI_METRICS.join(', ')}) in the metric's own representation: a decimal string for money, a number >= 0 for counts and ratios`,
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: '^\\d+(\\.\\d{1,2})?$' }] },
    example: { calls: 60, meetingsHeld: 5, revenueWon: '20000.00' },
  })
  @IsOptional()
  @IsObject()
  targets?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [SprintItemDto] })
  @IsOptional()
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
