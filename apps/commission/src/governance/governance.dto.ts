import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { IsFreeText, IsId, IsNonZeroSignedMoney, IsOmittable } from '@pacer/http';
import { INPUT_LIMITS } from '@pacer/sales-domain';
import { PageQueryDto } from '../statements/page-query.dto';

/** `POST /v1/adjustments`: an amount an admin posts by hand. */
export class ManualAdjustmentDto {
  @ApiProperty({
    example: 'rep-ana',
    minLength: INPUT_LIMITS.idMinLength,
    maxLength: INPUT_LIMITS.idMaxLength,
  })
  @IsId()
  repId!: string;

  @ApiProperty({ example: 'FY2026-Q4', description: "A plan period key of the rep's plan calendar." })
  @IsId()
  periodKey!: string;

  @ApiProperty({ example: '-150.00', description: 'Non-zero; negative takes money back.' })
  @IsNonZeroSignedMoney()
  amount!: string;

  @ApiProperty({ example: 'SE split agreed with sales ops', minLength: 1, maxLength: 2000 })
  @IsFreeText({ min: 1 })
  reason!: string;
}

/** `POST /v1/reps/{repId}/statements/{periodKey}/approve`. */
export class ApproveStatementDto {
  @ApiPropertyOptional({
    example: 3,
    description: 'The statement version the approver looked at; 409 when the statement has changed since.',
  })
  @IsInt()
  @Min(1)
  @IsOmittable()
  version?: number;
}

export class OpenDisputeDto {
  @ApiProperty({ example: 'This deal was 50/50 with Ben, not 30/70', minLength: 1, maxLength: 2000 })
  @IsFreeText({ min: 1 })
  comment!: string;
}

export class DisputeAdjustmentDto {
  @ApiProperty({ example: '480.00', description: 'Non-zero; negative takes money back.' })
  @IsNonZeroSignedMoney()
  amount!: string;
}

export class ResolveDisputeDto {
  @ApiProperty({ example: 'Agreed: split corrected by hand', minLength: 1, maxLength: 2000 })
  @IsFreeText({ min: 1 })
  resolution!: string;

  @ApiPropertyOptional({
    type: DisputeAdjustmentDto,
    description:
      "Posted as a manual_adjustment line of the disputed statement (or of the rep's open period if it is closed).",
  })
  @ValidateNested()
  @Type(() => DisputeAdjustmentDto)
  @IsOmittable()
  adjustment?: DisputeAdjustmentDto;
}

export class DealDecisionDto {
  @ApiPropertyOptional({ example: 'Signed contract missing', maxLength: 2000 })
  @IsFreeText({ min: 1 })
  @IsOmittable()
  reason?: string;
}

export class StatementsQueryDto extends PageQueryDto {
  @ApiProperty({ example: 'FY2026-Q1' })
  @IsId()
  periodKey!: string;

  @ApiPropertyOptional({
    example: 'team-east',
    description: "Only the team's reps (members during the period).",
  })
  @IsId()
  @IsOptional()
  teamId?: string;

  @ApiPropertyOptional({ enum: ['draft', 'approved', 'paid'] })
  @IsIn(['draft', 'approved', 'paid'])
  @IsOptional()
  status?: 'draft' | 'approved' | 'paid';
}

export class DisputesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'resolved'] })
  @IsIn(['open', 'resolved'])
  @IsOptional()
  status?: 'open' | 'resolved';

  @ApiPropertyOptional()
  @IsId()
  @IsOptional()
  repId?: string;
}

export class DealsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'approved', 'rejected'], description: 'Default pending.' })
  @IsIn(['pending', 'approved', 'rejected'])
  @IsOptional()
  status?: 'pending' | 'approved' | 'rejected';
}

export class PeriodsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'closed', 'paid'], description: 'Default: every state.' })
  @IsIn(['open', 'closed', 'paid'])
  @IsOptional()
  status?: 'open' | 'closed' | 'paid';
}
