import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// Response shapes, declared for the OpenAPI document (the handlers return plain objects of these shapes).

export class FieldErrorDto {
  @ApiProperty({ example: 'credits.1.share' })
  path!: string;

  @ApiProperty({ example: 'share must be a decimal string in (0, 1]' })
  message!: string;
}

export class AcceptedDto {
  @ApiProperty()
  activityId!: string;

  @ApiProperty({
    enum: ['accepted', 'duplicate'],
    description: 'duplicate: the same activity was accepted before; nothing is republished',
  })
  status!: 'accepted' | 'duplicate';
}

export class BatchItemResultDto {
  @ApiProperty({ description: 'Position of the item in the request array.' })
  index!: number;

  @ApiPropertyOptional()
  activityId?: string;

  @ApiProperty({ enum: ['accepted', 'duplicate', 'rejected'] })
  status!: 'accepted' | 'duplicate' | 'rejected';

  @ApiPropertyOptional({
    enum: ['invalid', 'forbidden', 'conflict'],
    description:
      'invalid: failed validation; forbidden: a rep token naming another rep; conflict: the activityId exists with another payload',
  })
  reason?: 'invalid' | 'forbidden' | 'conflict';

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Paths are relative to the item.' })
  errors?: FieldErrorDto[];
}

export class BatchResultDto {
  @ApiProperty({ type: [BatchItemResultDto] })
  results!: BatchItemResultDto[];

  @ApiProperty()
  accepted!: number;

  @ApiProperty()
  duplicates!: number;

  @ApiProperty()
  rejected!: number;
}

export class RejectedLineDto {
  @ApiProperty({ description: '1-based line of the body (a CSV record: the line it starts on).' })
  line!: number;

  @ApiPropertyOptional()
  activityId?: string;

  @ApiProperty({ enum: ['invalid', 'forbidden', 'conflict'] })
  reason!: 'invalid' | 'forbidden' | 'conflict';

  @ApiProperty({ type: [FieldErrorDto], description: 'Paths are relative to the line; at most 10 per line.' })
  errors!: FieldErrorDto[];
}

export class ImportSummaryDto {
  @ApiProperty()
  accepted!: number;

  @ApiProperty()
  duplicates!: number;

  @ApiProperty({ type: [RejectedLineDto], description: 'The first 1000 rejected lines, in line order.' })
  rejected!: RejectedLineDto[];

  @ApiProperty({ description: 'All rejected lines, listed or not.' })
  rejectedCount!: number;

  @ApiProperty()
  rejectedTruncated!: boolean;

  @ApiProperty({ description: 'Non-blank lines (CSV: records after the header) read.' })
  lines!: number;
}

export class VoidResultDto {
  @ApiProperty()
  activityId!: string;

  @ApiProperty({ enum: ['voided', 'already_voided'] })
  status!: 'voided' | 'already_voided';
}

/** SPEC §6: the token `sub` and the role an activity was recorded with (CloudEvent recordedby/recordedrole). */
export class RecordedByDto {
  @ApiProperty({ example: 'user-7f3a' })
  sub!: string;

  @ApiProperty({ example: 'rep', description: 'admin, ingest (a CRM integration) or rep.' })
  role!: string;
}

export class ListedActivityDto {
  @ApiProperty({
    description: 'The activity as accepted (normalised: money with two fraction digits).',
    type: Object,
  })
  activity!: Record<string, unknown>;

  @ApiPropertyOptional({
    type: RecordedByDto,
    description: 'Who recorded it (absent for activities recorded before Pacer kept it).',
  })
  recordedBy?: RecordedByDto;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;

  @ApiProperty({ description: 'Voided activities stay listed with this flag; they count nowhere.' })
  voided!: boolean;

  @ApiPropertyOptional({ format: 'date-time' })
  voidedAt?: string;

  @ApiPropertyOptional()
  voidReason?: string;
}

export class ActivityPageDto {
  @ApiProperty({ type: [ListedActivityDto] })
  items!: ListedActivityDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor!: string | null;
}
