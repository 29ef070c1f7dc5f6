import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { IsCurrencyCode, IsId, IsPositiveMoney } from '../common/format.decorators';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** `POST /v1/estimate`: a hypothetical deal credited wholly to the rep. */
export class EstimateDto {
  @ApiProperty({ example: 'rep-ana' })
  @IsId()
  repId!: string;

  @ApiProperty({ example: '25000.00' })
  @IsPositiveMoney()
  @IsString()
  amount!: string;

  @ApiPropertyOptional({ example: 'USD', description: "Defaults to the plan's currency." })
  @IsCurrencyCode()
  @IsOptional()
  currency?: string;

  @ApiPropertyOptional({
    example: '2026-11-27T09:30:00Z',
    description: 'When the deal would be won; defaults to now.',
  })
  @Matches(INSTANT, {
    message: 'occurredAt must be an ISO 8601 instant with offset, e.g. "2026-11-27T09:30:00Z"',
  })
  @IsString()
  @IsOptional()
  occurredAt?: string;
}

export class ExceptionsQueryDto {
  @ApiPropertyOptional()
  @IsId()
  @IsOptional()
  repId?: string;

  @ApiPropertyOptional({ example: 'FY2027-Q1' })
  @IsString()
  @IsOptional()
  periodKey?: string;

  @ApiPropertyOptional({ enum: ['currency_mismatch', 'duplicate_deal', 'no_plan'] })
  @IsString()
  @IsOptional()
  reason?: string;

  @ApiPropertyOptional({ example: '100', description: '1 to 1000, default 100.' })
  @Matches(/^([1-9]\d{0,2}|1000)$/, { message: 'limit must be an integer from 1 to 1000' })
  @IsOptional()
  limit?: string;

  @ApiPropertyOptional()
  @IsString()
  @IsOptional()
  cursor?: string;
}
