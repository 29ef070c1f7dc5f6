import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsCurrencyCode, IsFreeText, IsId, IsInstantInWindow, IsMoney, IsOmittable } from '@pacer/http';
import { INPUT_LIMITS } from '@pacer/sales-domain';
import { PageQueryDto } from './page-query.dto';

/** `POST /v1/estimate`: a hypothetical deal credited wholly to the rep. */
export class EstimateDto {
  @ApiProperty({
    example: 'rep-ana',
    minLength: INPUT_LIMITS.idMinLength,
    maxLength: INPUT_LIMITS.idMaxLength,
  })
  @IsId()
  repId!: string;

  @ApiProperty({ example: '25000.00' })
  @IsMoney(true)
  amount!: string;

  @ApiPropertyOptional({ example: 'USD', description: "Defaults to the plan's currency." })
  @IsCurrencyCode()
  @IsOmittable()
  currency?: string;

  @ApiPropertyOptional({
    example: '2026-11-27T09:30:00Z',
    format: 'date-time',
    description: 'When the deal would be won (from 1970 to 7 days ahead); defaults to now.',
  })
  @IsInstantInWindow('occurred')
  @IsOmittable()
  occurredAt?: string;
}

export class ExceptionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsId()
  @IsOptional()
  repId?: string;

  @ApiPropertyOptional({ example: 'FY2027-Q1' })
  @IsId()
  @IsOptional()
  periodKey?: string;

  @ApiPropertyOptional({ enum: ['currency_mismatch', 'duplicate_deal', 'no_plan'] })
  @IsFreeText({ max: 100 })
  @IsOptional()
  reason?: string;
}
