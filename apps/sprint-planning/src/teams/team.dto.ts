import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ROLES, Role, SALES_MODELS, SalesModel } from '@pacer/contracts';

// A calendar date (tenant-local midnight) or an RFC 3339 instant with offset.
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))?$/;
const DATE_OR_INSTANT_MESSAGE =
  '$property must be a date (2026-11-27, tenant-local midnight) or an instant with offset';

export class CreateTeamDto {
  @ApiPropertyOptional({
    description: 'Client-chosen id; a UUID is generated when omitted',
    example: 'emea-ae',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  teamId?: string;

  @ApiProperty({ example: 'EMEA Account Executives' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({
    enum: SALES_MODELS,
    description: 'island: full-cycle AEs; assembly_line: SDR → AE → AM/CSM stages',
  })
  @IsIn(SALES_MODELS)
  salesModel!: SalesModel;
}

export class RenameTeamDto {
  @ApiProperty({ example: 'EMEA Closers' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class PutMemberDto {
  @ApiProperty({ example: 'Ana Lima' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({
    description: 'When it takes effect: a date (tenant-local midnight) or an instant; default now',
    example: '2026-11-30',
  })
  @IsOptional()
  @IsString()
  @Matches(DATE_OR_INSTANT, { message: DATE_OR_INSTANT_MESSAGE })
  effectiveFrom?: string;
}

export class RemoveMemberQueryDto {
  @ApiPropertyOptional({
    description: 'When the membership ends (exclusive): a date or an instant; default now',
  })
  @IsOptional()
  @IsString()
  @Matches(DATE_OR_INSTANT, { message: DATE_OR_INSTANT_MESSAGE })
  effectiveTo?: string;
}
