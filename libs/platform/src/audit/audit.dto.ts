import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsId, IsInstantInWindow } from '@pacer/http';
import { INPUT_LIMITS } from '@pacer/sales-domain';
import { AUDIT_TYPE_PATTERN } from './audit-log';

export const AUDIT_DEFAULT_PAGE_SIZE = 100;
export const AUDIT_MAX_PAGE_SIZE = 1000;

/** `GET /v1/audit` filters: `from` inclusive, `to` exclusive, on the time the command ran. */
export class AuditQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'at ≥ from' })
  @IsOptional()
  @IsInstantInWindow()
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'at < to' })
  @IsOptional()
  @IsInstantInWindow()
  to?: string;

  @ApiPropertyOptional({
    type: String,
    maxLength: INPUT_LIMITS.idMaxLength,
    description: "The actor's token `sub`.",
  })
  @IsOptional()
  @IsId()
  actor?: string;

  @ApiPropertyOptional({ type: String, maxLength: 100, example: 'team.member_joined' })
  @IsOptional()
  @Matches(AUDIT_TYPE_PATTERN, { message: 'type must be an audit type such as team.created' })
  @MaxLength(100)
  @IsString()
  type?: string;

  @ApiPropertyOptional({ type: String, description: 'nextCursor of the previous page (opaque)' })
  @IsOptional()
  @MaxLength(1000)
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: AUDIT_MAX_PAGE_SIZE,
    default: AUDIT_DEFAULT_PAGE_SIZE,
  })
  @IsOptional()
  @Type(() => Number)
  @Max(AUDIT_MAX_PAGE_SIZE)
  @Min(1)
  @IsInt()
  limit?: number;
}

export class AuditActorDto {
  @ApiProperty() sub!: string;
  @ApiProperty({ description: 'The role the actor acted in.' }) role!: string;
}

export class AuditRecordDto {
  @ApiProperty({ description: 'Stable id of the record.' }) id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ example: 'sprint.commitment_set' }) type!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { sprintId: 's1', repId: 'r1' },
  })
  subject!: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed, in brief.' })
  summary!: Record<string, unknown>;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditRecordDto] }) items!: AuditRecordDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
