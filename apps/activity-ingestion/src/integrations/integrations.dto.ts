import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { IsCurrencyCode, IsFreeText, IsId, IsOmittable } from '@pacer/http';
import { CRM_VENDORS, EXCEPTION_REASONS, STAGE_OUTCOMES } from './crm.types';

export const MAX_USER_MAPPINGS = 10_000;
export const MAX_STAGE_MAPPINGS = 1_000;
export const MAX_ACCOUNT_IDS = 50;

/** `PUT /v1/integrations/{vendor}`. */
export class IntegrationSettingsDto {
  @ApiPropertyOptional({
    description:
      "HubSpot: the app's client secret (signs X-HubSpot-Signature-v3). Salesforce: the shared secret your Flow or Apex callout sends in X-Pacer-Webhook-Secret. Stored encrypted, never returned; leave it out to keep the stored one.",
    minLength: 16,
    maxLength: 512,
    writeOnly: true,
  })
  @IsOmittable()
  @IsFreeText({ min: 16, max: 512 })
  secret?: string;

  @ApiProperty({
    description:
      'The CRM accounts allowed to post for this tenant: HubSpot portal (hub) ids, or Salesforce organization ids (OrganizationId, 15 or 18 characters). A payload from any other account is refused.',
    type: [String],
    example: ['62515'],
    minItems: 1,
    maxItems: MAX_ACCOUNT_IDS,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ACCOUNT_IDS)
  @IsId({ each: true })
  accountIds!: string[];

  @ApiProperty({ description: 'Currency of deals whose payloads carry none (HubSpot deal_currency_code, Salesforce CurrencyIsoCode).', example: 'USD' })
  @IsCurrencyCode()
  defaultCurrency!: string;
}

export class IntegrationDto {
  @ApiProperty({ enum: CRM_VENDORS })
  vendor!: string;
  @ApiProperty({ description: 'Whether a secret is stored (the secret itself is never shown).' })
  secretSet!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  secretUpdatedAt!: string | null;
  @ApiProperty({ type: [String] })
  accountIds!: string[];
  @ApiProperty({ type: String, nullable: true, example: 'USD' })
  defaultCurrency!: string | null;
  @ApiProperty({ description: 'Where the CRM posts, relative to this service.', example: '/v1/integrations/hubspot/acme' })
  webhookPath!: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class IntegrationListDto {
  @ApiProperty({ type: [IntegrationDto], description: 'The CRMs the tenant has configured (settings or mappings), by vendor.' })
  items!: IntegrationDto[];
}

export class UserMappingDto {
  @ApiProperty({ description: 'HubSpot owner id (hubspot_owner_id) or Salesforce user id (OwnerId).', example: '31337' })
  @IsId()
  crmUserId!: string;

  @ApiProperty({ example: 'rep-ada' })
  @IsId()
  repId!: string;
}

export class StageMappingDto {
  @ApiProperty({ description: 'HubSpot dealstage id (e.g. closedwon, or a custom pipeline stage id) or Salesforce StageName.', example: 'contractsent' })
  @IsId()
  crmStage!: string;

  @ApiProperty({ description: "The stage's name in Pacer (toStage).", example: 'Contract sent', maxLength: 200 })
  @IsFreeText({ min: 1, max: 200 })
  pacerStage!: string;

  @ApiPropertyOptional({ enum: STAGE_OUTCOMES, description: 'Set when entering this stage wins or loses the deal.' })
  @IsOmittable()
  @IsIn(STAGE_OUTCOMES)
  outcome?: 'won' | 'lost';
}

/** `PUT /v1/integrations/{vendor}/mappings`: the whole mapping document, replaced at once. */
export class MappingsDto {
  @ApiProperty({ type: [UserMappingDto], maxItems: MAX_USER_MAPPINGS })
  @IsArray()
  @ArrayMaxSize(MAX_USER_MAPPINGS)
  @ValidateNested({ each: true })
  @Type(() => UserMappingDto)
  users!: UserMappingDto[];

  @ApiProperty({ type: [StageMappingDto], maxItems: MAX_STAGE_MAPPINGS })
  @IsArray()
  @ArrayMaxSize(MAX_STAGE_MAPPINGS)
  @ValidateNested({ each: true })
  @Type(() => StageMappingDto)
  stages!: StageMappingDto[];
}

export class MappingsResultDto extends MappingsDto {
  @ApiProperty({ enum: CRM_VENDORS })
  vendor!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt!: string | null;
}

export class ListExceptionsQueryDto {
  @ApiPropertyOptional({ enum: CRM_VENDORS })
  @IsOmittable()
  @IsIn(CRM_VENDORS)
  vendor?: 'hubspot' | 'salesforce';

  @ApiPropertyOptional({ enum: ['open', 'resolved'], description: 'Default: every status.' })
  @IsOmittable()
  @IsIn(['open', 'resolved'])
  status?: 'open' | 'resolved';

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOmittable()
  @IsFreeText({ min: 1, max: 200 })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class ExceptionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ enum: CRM_VENDORS })
  vendor!: string;
  @ApiProperty({ description: 'The CRM record it is about, e.g. hs:62515:call:8001 or hs:62515:deal:1246965.' })
  key!: string;
  @ApiProperty({ enum: EXCEPTION_REASONS })
  reason!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The CRM user to map when the reason is unmapped-user.' })
  crmUserId!: string | null;
  @ApiProperty()
  detail!: string;
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } })
  errors!: { path: string; message: string }[];
  @ApiProperty({ enum: ['open', 'resolved'] })
  status!: string;
  @ApiProperty({ description: 'How often the item came in (redeliveries, retries) without going through.' })
  occurrences!: number;
  @ApiProperty({ format: 'date-time' })
  firstSeenAt!: string;
  @ApiProperty({ format: 'date-time' })
  lastSeenAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  resolvedAt!: string | null;
}

export class ExceptionPageDto {
  @ApiProperty({ type: [ExceptionDto] })
  items!: ExceptionDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

class IgnoredItemDto {
  @ApiProperty()
  key!: string;
  @ApiProperty()
  reason!: string;
}

class DeliveryExceptionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  key!: string;
  @ApiProperty({ enum: EXCEPTION_REASONS })
  reason!: string;
  @ApiProperty()
  detail!: string;
}

/** The answer to a CRM delivery (JSON). */
export class DeliverySummaryDto {
  @ApiProperty({ description: 'Items in the delivery (events, records, one engagement).' })
  items!: number;
  @ApiProperty({ description: 'Activities recorded now.' })
  accepted!: number;
  @ApiProperty({ description: 'Activities recorded before (a redelivery).' })
  duplicates!: number;
  @ApiProperty({ description: 'Items that carry nothing Pacer records.' })
  ignored!: number;
  @ApiProperty({ type: [IgnoredItemDto], description: 'The first 100 ignored items and why.' })
  ignoredItems!: IgnoredItemDto[];
  @ApiProperty({ type: [DeliveryExceptionDto], description: 'Items that could not be recorded yet; listed at GET /v1/integrations/exceptions.' })
  exceptions!: DeliveryExceptionDto[];
}

export class RetryResultDto {
  @ApiProperty({ type: ExceptionDto })
  exception!: ExceptionDto;
  @ApiProperty({ type: DeliverySummaryDto })
  delivery!: DeliverySummaryDto;
}
