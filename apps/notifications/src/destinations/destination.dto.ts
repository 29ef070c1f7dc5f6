import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumberString,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsFreeText, IsId, IsOmittable } from '@pacer/http';
import { NOTIFICATION_TYPES, NotificationType } from '../domain/notification';

export const DESTINATION_KINDS = ['slack', 'webhook'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

const URL_DOC =
  'Slack incoming webhook URL or the HTTPS endpoint of a webhook. Stored encrypted and never returned. In production: https only, and it must not resolve to a private, loopback or link-local address.';
const SECRET_DOC =
  'Webhook only: the HMAC-SHA256 signing secret (16-256 characters). Left out on create, one is generated and returned once.';

// Decorators run bottom-up and a property's checks stop at the first failure: type checks last.

export class CreateDestinationDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: '#sales-wins' })
  @IsFreeText({ min: 1, max: 200 })
  @IsString()
  name!: string;

  @ApiProperty({ enum: DESTINATION_KINDS })
  @IsIn(DESTINATION_KINDS)
  kind!: DestinationKind;

  @ApiProperty({ description: URL_DOC, maxLength: 2048, example: 'https://hooks.example.com/services/T000/B000/XXXX' })
  @MaxLength(2048)
  @IsString()
  url!: string;

  @ApiPropertyOptional({ description: SECRET_DOC, minLength: 16, maxLength: 256 })
  @IsOmittable()
  @MaxLength(256)
  @MinLength(16)
  @IsString()
  secret?: string;

  @ApiProperty({ enum: NOTIFICATION_TYPES, isArray: true, description: 'The notifications this destination receives.' })
  @IsIn(NOTIFICATION_TYPES, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(NOTIFICATION_TYPES.length)
  @ArrayMinSize(1)
  @IsArray()
  eventTypes!: NotificationType[];

  @ApiPropertyOptional({
    type: [String],
    description: "Only notifications about these teams (the rep's teams at the event's time, the sprint's team); all teams when empty or left out.",
  })
  @IsOmittable()
  @IsId({ each: true })
  @ArrayUnique()
  @ArrayMaxSize(100)
  @IsArray()
  teamIds?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}

/** Every field optional; what is sent replaces what is stored. */
export class UpdateDestinationDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOmittable()
  @IsFreeText({ min: 1, max: 200 })
  @IsString()
  name?: string;

  @ApiPropertyOptional({ description: URL_DOC, maxLength: 2048 })
  @IsOmittable()
  @MaxLength(2048)
  @IsString()
  url?: string;

  @ApiPropertyOptional({ description: 'Webhook only: a new signing secret (rotation).', minLength: 16, maxLength: 256 })
  @IsOmittable()
  @MaxLength(256)
  @MinLength(16)
  @IsString()
  secret?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_TYPES, isArray: true })
  @IsOmittable()
  @IsIn(NOTIFICATION_TYPES, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(NOTIFICATION_TYPES.length)
  @ArrayMinSize(1)
  @IsArray()
  eventTypes?: NotificationType[];

  @ApiPropertyOptional({ type: [String] })
  @IsOmittable()
  @IsId({ each: true })
  @ArrayUnique()
  @ArrayMaxSize(100)
  @IsArray()
  teamIds?: string[];

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Max(200)
  @Min(1)
  @IsInt()
  @Type(() => Number)
  limit?: number;

  @ApiPropertyOptional({ type: String, description: 'Page: deliveries with a smaller deliveryId (the last one of the previous page).' })
  @IsOptional()
  @MaxLength(19)
  @IsNumberString({ no_symbols: true })
  before?: string;
}

export class BreakerView {
  @ApiProperty({ enum: ['closed', 'open', 'half_open'], description: 'open: nothing is sent until openUntil; half_open: one probe is in flight.' })
  state!: 'closed' | 'open' | 'half_open';

  @ApiProperty({ description: 'Retryable failures in a row (reset by a success).' })
  consecutiveFailures!: number;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  openUntil!: string | null;
}

export class DestinationStatusView {
  @ApiProperty({ type: BreakerView })
  breaker!: BreakerView;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  lastSuccessAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  lastFailureAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'What the last failure was (status code or network error).' })
  lastFailure!: string | null;

  @ApiProperty({ description: 'Deliveries waiting (due or backing off).' })
  pending!: number;

  @ApiProperty({ description: 'Deliveries given up (attempts exhausted or a permanent failure).' })
  failed!: number;
}

export class DestinationView {
  @ApiProperty({ format: 'uuid' })
  destinationId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: DESTINATION_KINDS })
  kind!: DestinationKind;

  @ApiProperty({ description: 'Enough of the URL to recognise it (scheme, host and its last 4 characters); the URL itself is secret.', example: 'https://hooks.slack.com/…XXXX' })
  urlHint!: string;

  @ApiProperty({ description: 'Whether webhook requests are signed.' })
  hasSecret!: boolean;

  @ApiProperty({ enum: NOTIFICATION_TYPES, isArray: true })
  eventTypes!: NotificationType[];

  @ApiProperty({ type: [String] })
  teamIds!: string[];

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: DestinationStatusView })
  status!: DestinationStatusView;
}

export class CreatedDestinationView extends DestinationView {
  @ApiPropertyOptional({ description: 'The generated signing secret; shown this once only (webhooks created without one).' })
  secret?: string;
}

export class DestinationListView {
  @ApiProperty({ type: [DestinationView] })
  items!: DestinationView[];
}

export class DeliveryView {
  @ApiProperty({ description: 'Stable across retries; sent as X-Pacer-Delivery and in the webhook body.' })
  deliveryId!: string;

  @ApiProperty({ description: 'The notification type, or "test".' })
  type!: string;

  @ApiProperty({ description: 'One-line summary of the notification.' })
  title!: string;

  @ApiProperty({ description: 'The CloudEvent (or, for behind_pace, the sprint) it came from.' })
  sourceEventId!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: DeliveryStatus;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When a pending delivery is tried next.' })
  nextAttemptAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ type: Number, nullable: true })
  lastStatusCode!: number | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  deliveredAt!: string | null;
}

export class DeliveryListView {
  @ApiProperty({ format: 'uuid' })
  destinationId!: string;

  @ApiProperty({ type: DestinationStatusView })
  status!: DestinationStatusView;

  @ApiProperty({ type: [DeliveryView], description: 'Newest first.' })
  items!: DeliveryView[];
}

export class TestDeliveryView {
  @ApiProperty({ description: 'Follow it in GET /v1/destinations/{id}/deliveries.' })
  deliveryId!: string;
}
