import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ACTIVITY_KINDS, ActivityKind } from '@pacer/contracts';
import { IsFreeText, IsId, IsInstantInWindow } from '@pacer/http';
import { INPUT_LIMITS } from '@pacer/sales-domain';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** `GET /v1/activities` filters; `from` is inclusive and `to` exclusive, both on occurredAt. */
export class ListActivitiesQueryDto {
  @ApiPropertyOptional({ type: String, minLength: INPUT_LIMITS.idMinLength, maxLength: INPUT_LIMITS.idMaxLength })
  @IsOptional()
  @IsId()
  repId?: string;

  @ApiPropertyOptional({ enum: ACTIVITY_KINDS })
  @IsOptional()
  @IsIn(ACTIVITY_KINDS)
  kind?: ActivityKind;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'occurredAt ≥ from' })
  @IsOptional()
  @IsInstantInWindow()
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'occurredAt < to' })
  @IsOptional()
  @IsInstantInWindow()
  to?: string;

  @ApiPropertyOptional({ type: String, description: 'nextCursor of the previous page (opaque)' })
  @IsOptional()
  @MaxLength(1000)
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_PAGE_SIZE)
  @Min(1)
  @IsInt()
  limit?: number;
}

export class VoidActivityDto {
  @ApiProperty({
    type: String,
    minLength: 1,
    maxLength: INPUT_LIMITS.freeTextMaxLength,
    example: 'logged against the wrong rep',
  })
  @IsFreeText({ min: 1 })
  reason!: string;
}
