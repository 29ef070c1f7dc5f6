import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { IsFreeText, IsOmittable } from '@pacer/http';

/** PUT /v1/settings: the whole settings document; an omitted field takes the SPEC default. */
export class TenantSettingsDto {
  @ApiPropertyOptional({ description: 'IANA time zone name', example: 'Europe/Berlin', default: 'UTC' })
  @IsOmittable()
  @IsFreeText({ min: 1, max: 64 })
  timezone?: string;

  @ApiPropertyOptional({
    description: 'ISO weekday the week starts on (1 = Monday)',
    minimum: 1,
    maximum: 7,
    default: 1,
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(7)
  weekStartsOn?: number;

  @ApiPropertyOptional({
    description: 'Month (1-12) the fiscal year starts in',
    minimum: 1,
    maximum: 12,
    default: 1,
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(12)
  fiscalYearStartMonth?: number;

  @ApiPropertyOptional({
    description:
      "SPEC §6: a deal_won recorded with a rep token pays no commission until the rep's manager or an admin approves it.",
    default: false,
  })
  @IsOmittable()
  @IsBoolean()
  dealsRequireApproval?: boolean;
}
