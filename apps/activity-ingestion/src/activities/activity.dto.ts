import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ACTIVITY_KINDS,
  ACTIVITY_LIMITS,
  ActivityKind,
  CALL_OUTCOMES,
  CallOutcome,
  MONEY_PATTERN,
  PROBABILITY_PATTERN,
} from '@pacer/contracts';
import { IsCalendarDate, IsCurrencyCode, IsFreeText, IsId, IsInstantInWindow, IsMoney, IsProbability, IsShare } from '@pacer/http';
import { INPUT_LIMITS } from '@pacer/sales-domain';

// One class per activity kind (SPEC §3). They are the single source of the validation rules
// (`validateActivity` runs them for single, batch and import alike) and of the OpenAPI schemas; every
// pattern, length and range is a constant of @pacer/contracts that its JSON Schemas read too.
// A property missing from a kind's class is an unknown field for that kind and is rejected.
// Decorators run bottom-up and validation stops at a property's first failure, so the type check is
// written last: a number where a string belongs says "must be a string", not "too long".

const ID = { type: String, minLength: INPUT_LIMITS.idMinLength, maxLength: INPUT_LIMITS.idMaxLength } as const;
const INSTANT = { type: String, format: 'date-time', example: '2026-11-27T09:30:00Z' } as const;
const MONEY = { type: String, pattern: MONEY_PATTERN } as const;

/** Longest free-text fields (reasons, lead sources, stage names), to keep rows and events bounded. */
export const TEXT_MAX = {
  source: ACTIVITY_LIMITS.sourceMaxLength,
  toStage: ACTIVITY_LIMITS.toStageMaxLength,
  reason: ACTIVITY_LIMITS.reasonMaxLength,
} as const;

abstract class ActivityBaseDto {
  @ApiProperty({
    ...ID,
    description: "The client's idempotency key, unique per tenant.",
    example: 'crm-call-81723',
  })
  @IsId()
  activityId!: string;

  abstract kind: ActivityKind;

  @ApiProperty({
    ...ID,
    description: 'The rep who did it (for a won deal: the primary rep).',
    example: 'rep-ana',
  })
  @IsId()
  repId!: string;

  @ApiProperty({
    ...INSTANT,
    description: 'When it happened, an ISO 8601 instant with offset, from 1970 to 7 days after receipt.',
  })
  @IsInstantInWindow('occurred')
  occurredAt!: string;
}

export class CallLoggedDto extends ActivityBaseDto {
  @ApiProperty({ enum: ['call_logged'] })
  @IsIn(['call_logged'])
  kind!: 'call_logged';

  @ApiProperty({ enum: CALL_OUTCOMES })
  @IsIn(CALL_OUTCOMES)
  outcome!: CallOutcome;

  @ApiProperty({ type: 'integer', minimum: 0, example: 240 })
  @Max(ACTIVITY_LIMITS.maxInt)
  @Min(0)
  @IsInt()
  durationSec!: number;
}

export class EmailSentDto extends ActivityBaseDto {
  @ApiProperty({ enum: ['email_sent'] })
  @IsIn(['email_sent'])
  kind!: 'email_sent';
}

export class MeetingScheduledDto extends ActivityBaseDto {
  @ApiProperty({ enum: ['meeting_scheduled'] })
  @IsIn(['meeting_scheduled'])
  kind!: 'meeting_scheduled';

  @ApiProperty(ID)
  @IsId()
  meetingId!: string;

  @ApiProperty({
    ...INSTANT,
    description: 'When the meeting is due (at most 10 years after receipt); it counts at occurredAt (when booked).',
  })
  @IsInstantInWindow('lookAhead')
  scheduledFor!: string;
}

export class MeetingHeldDto extends ActivityBaseDto {
  @ApiProperty({ enum: ['meeting_held'] })
  @IsIn(['meeting_held'])
  kind!: 'meeting_held';

  @ApiProperty(ID)
  @IsId()
  meetingId!: string;
}

export class LeadCreatedDto extends ActivityBaseDto {
  @ApiProperty({ enum: ['lead_created'] })
  @IsIn(['lead_created'])
  kind!: 'lead_created';

  @ApiProperty(ID)
  @IsId()
  leadId!: string;

  @ApiPropertyOptional({ type: String, maxLength: TEXT_MAX.source, example: 'webinar' })
  @IsOptional()
  @IsFreeText({ max: TEXT_MAX.source })
  source?: string;
}

const EXPECTED_CLOSE_DATE = {
  type: String,
  format: 'date',
  example: '2026-12-15',
  description:
    'When the opportunity is expected to close: a calendar date in the tenant time zone, from 1970 to ten years after receipt (forecastPipeline). The latest value (by occurredAt, then activityId) is current.',
} as const;
const PROBABILITY = {
  type: String,
  pattern: PROBABILITY_PATTERN,
  example: '0.6',
  description:
    'Chance of winning, a decimal string in [0, 1] with at most 6 fraction digits (forecastWeighted). The latest value (by occurredAt, then activityId) is current.',
} as const;

export class OpportunityCreatedDto extends ActivityBaseDto {
  @ApiProperty({ enum: ['opportunity_created'] })
  @IsIn(['opportunity_created'])
  kind!: 'opportunity_created';

  @ApiProperty(ID)
  @IsId()
  opportunityId!: string;

  @ApiProperty({ ...MONEY, description: 'Pipeline created, > 0.', example: '25000.00' })
  @IsMoney(true)
  amount!: string;

  @ApiProperty({ type: String, description: 'ISO 4217', example: 'USD' })
  @IsCurrencyCode()
  currency!: string;

  // @IsOptional, not @IsOmittable: CRMs send null for a field they do not have (SPEC §3 activities).
  @ApiPropertyOptional(EXPECTED_CLOSE_DATE)
  @IsOptional()
  @IsCalendarDate('lookAhead')
  expectedCloseDate?: string;

  @ApiPropertyOptional(PROBABILITY)
  @IsOptional()
  @IsProbability()
  probability?: string;
}

export class OpportunityStageChangedDto extends ActivityBaseDto {
  @ApiProperty({ enum: ['opportunity_stage_changed'] })
  @IsIn(['opportunity_stage_changed'])
  kind!: 'opportunity_stage_changed';

  @ApiProperty(ID)
  @IsId()
  opportunityId!: string;

  @ApiProperty({ type: String, minLength: 1, maxLength: TEXT_MAX.toStage, example: 'negotiation' })
  @IsFreeText({ min: 1, max: TEXT_MAX.toStage })
  toStage!: string;

  @ApiPropertyOptional({
    ...MONEY,
    description: "The opportunity's new amount, > 0 (forecastPipeline); pipelineCreated keeps the amount it was created with.",
    example: '30000.00',
  })
  @IsOptional()
  @IsMoney(true)
  amount?: string;

  @ApiPropertyOptional(EXPECTED_CLOSE_DATE)
  @IsOptional()
  @IsCalendarDate('lookAhead')
  expectedCloseDate?: string;

  @ApiPropertyOptional(PROBABILITY)
  @IsOptional()
  @IsProbability()
  probability?: string;
}

export class DealCreditDto {
  @ApiProperty(ID)
  @IsId()
  repId!: string;

  @ApiProperty({
    type: String,
    description: 'A decimal string in (0, 1]; the shares of a deal sum to exactly 1.',
    example: '0.5',
  })
  @IsShare()
  share!: string;
}

export class DealProductDto {
  @ApiProperty(ID)
  @IsId()
  productId!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  @IsOptional()
  @Max(ACTIVITY_LIMITS.maxInt)
  @Min(1)
  @IsInt()
  quantity?: number;

  @ApiPropertyOptional({ ...MONEY, description: 'Line amount, ≥ 0.' })
  @IsOptional()
  @IsMoney(false)
  amount?: string;
}

export class DealWonDto extends ActivityBaseDto {
  @ApiProperty({ enum: ['deal_won'] })
  @IsIn(['deal_won'])
  kind!: 'deal_won';

  @ApiProperty(ID)
  @IsId()
  dealId!: string;

  @ApiProperty(ID)
  @IsId()
  opportunityId!: string;

  @ApiProperty({ ...MONEY, description: 'Deal amount, > 0.', example: '48000.00' })
  @IsMoney(true)
  amount!: string;

  @ApiProperty({ type: String, description: 'ISO 4217', example: 'USD' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({ ...INSTANT, description: 'When the deal was opened (sales cycle length).' })
  @IsOptional()
  @IsInstantInWindow('occurred')
  openedAt?: string;

  @ApiPropertyOptional({
    type: [DealCreditDto],
    description:
      'Revenue split; shares sum to exactly 1, each rep once. Without it the primary rep gets share 1.',
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(ACTIVITY_LIMITS.creditsMaxItems)
  @ArrayMinSize(1)
  @IsArray()
  @Type(() => DealCreditDto)
  credits?: DealCreditDto[];

  @ApiPropertyOptional({ type: [DealProductDto], description: 'Product lines, stored for BI.' })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(ACTIVITY_LIMITS.productsMaxItems)
  @IsArray()
  @Type(() => DealProductDto)
  products?: DealProductDto[];
}

export class DealLostDto extends ActivityBaseDto {
  @ApiProperty({ enum: ['deal_lost'] })
  @IsIn(['deal_lost'])
  kind!: 'deal_lost';

  @ApiProperty(ID)
  @IsId()
  dealId!: string;

  @ApiProperty(ID)
  @IsId()
  opportunityId!: string;

  @ApiPropertyOptional({ type: String, maxLength: TEXT_MAX.reason })
  @IsOptional()
  @IsFreeText({ max: TEXT_MAX.reason })
  reason?: string;
}

export class DealCancelledDto extends ActivityBaseDto {
  @ApiProperty({ enum: ['deal_cancelled'] })
  @IsIn(['deal_cancelled'])
  kind!: 'deal_cancelled';

  @ApiProperty(ID)
  @IsId()
  dealId!: string;

  @ApiPropertyOptional({ type: String, maxLength: TEXT_MAX.reason })
  @IsOptional()
  @IsFreeText({ max: TEXT_MAX.reason })
  reason?: string;
}

type ActivityDtoClass = new () => ActivityBaseDto;

/** The DTO class of each kind; `validateActivity` dispatches on `kind` through this table. */
export const ACTIVITY_DTOS: Readonly<Record<ActivityKind, ActivityDtoClass>> = {
  call_logged: CallLoggedDto,
  email_sent: EmailSentDto,
  meeting_scheduled: MeetingScheduledDto,
  meeting_held: MeetingHeldDto,
  lead_created: LeadCreatedDto,
  opportunity_created: OpportunityCreatedDto,
  opportunity_stage_changed: OpportunityStageChangedDto,
  deal_won: DealWonDto,
  deal_lost: DealLostDto,
  deal_cancelled: DealCancelledDto,
};

export const ACTIVITY_DTO_LIST: readonly ActivityDtoClass[] = ACTIVITY_KINDS.map((k) => ACTIVITY_DTOS[k]);

export { ActivityBaseDto };
