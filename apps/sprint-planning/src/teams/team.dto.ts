import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ROLES, Role, SALES_MODELS, SalesModel } from '@pacer/contracts';
import { IsDateOrInstant, IsFreeText, IsId, IsOmittable } from '@pacer/http';

export class CreateTeamDto {
  @ApiPropertyOptional({
    description: 'Client-chosen id; a UUID is generated when omitted',
    example: 'emea-ae',
    minLength: 1,
    maxLength: 128,
  })
  @IsOmittable()
  @IsId()
  teamId?: string;

  @ApiProperty({ example: 'EMEA Account Executives', minLength: 1, maxLength: 200 })
  @IsFreeText({ min: 1, max: 200 })
  name!: string;

  @ApiProperty({
    enum: SALES_MODELS,
    description: 'island: full-cycle AEs; assembly_line: SDR → AE → AM/CSM stages',
  })
  @IsIn(SALES_MODELS)
  salesModel!: SalesModel;
}

export class RenameTeamDto {
  @ApiProperty({ example: 'EMEA Closers', minLength: 1, maxLength: 200 })
  @IsFreeText({ min: 1, max: 200 })
  name!: string;
}

export class PutMemberDto {
  @ApiProperty({ example: 'Ana Lima', minLength: 1, maxLength: 200 })
  @IsFreeText({ min: 1, max: 200 })
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({
    description: 'When it takes effect: a date (tenant-local midnight) or an instant; default now',
    example: '2026-11-30',
  })
  @IsOmittable()
  @IsDateOrInstant()
  effectiveFrom?: string;
}

export class RemoveMemberQueryDto {
  @ApiPropertyOptional({
    description: 'When the membership ends (exclusive): a date or an instant; default now',
  })
  @IsOptional()
  @IsDateOrInstant()
  effectiveTo?: string;
}
