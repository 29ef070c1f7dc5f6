import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Request, Response } from 'express';
import { actingRole, CurrentPrincipal, Principal, Roles } from '@pacer/auth';
import { ACTIVITY_KINDS } from '@pacer/contracts';
import { ProblemException, TakesBody } from '@pacer/http';
import { Logger } from '@pacer/observability';
import { auditActor, LOGGER, TenantThrottlerGuard } from '@pacer/platform';
import { csvItems } from '../import/csv.parser';
import { ImportItem } from '../import/import-item';
import { ndjsonItems } from '../import/ndjson.parser';
import { decodeCursor, encodeCursor } from './activity-cursor';
import { isId } from '@pacer/sales-domain';
import { ACTIVITY_WRITERS, ItemResult } from './activity-intake';
import {
  ActivityIngestionService,
  ImportInterruptedError,
  ImportSummary,
} from './activity-ingestion.service';
import { ACTIVITY_DTO_LIST, ACTIVITY_DTOS } from './activity.dto';
import { ActivityRepository, StoredActivity } from './activity.repository';
import { DEFAULT_PAGE_SIZE, ListActivitiesQueryDto, VoidActivityDto } from './activity-query.dto';
import {
  AcceptedDto,
  ActivityPageDto,
  BatchResultDto,
  ImportSummaryDto,
  ListedActivityDto,
  VoidResultDto,
} from './activity-responses.dto';

/** Largest batch of `POST /v1/activities:batch` (SPEC §3). */
export const MAX_BATCH_ITEMS = 1000;


const NDJSON_TYPES = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
]);
const CSV_TYPES = new Set(['text/csv']);

const ACTIVITY_SCHEMA = {
  oneOf: ACTIVITY_DTO_LIST.map((dto) => ({ $ref: getSchemaPath(dto) })),
  discriminator: {
    propertyName: 'kind',
    mapping: Object.fromEntries(ACTIVITY_KINDS.map((k) => [k, getSchemaPath(ACTIVITY_DTOS[k])])),
  },
};

/** A token holding only the rep role is confined to that rep's activities, for reads and voids too. */
function onlyOwn(principal: Principal): string | undefined {
  return principal.roles.every((r) => r === 'rep') ? principal.repId : undefined;
}

function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function requireJsonBody(req: Request): unknown {
  if (req.body === undefined) {
    if (mediaType(req) !== 'application/json') {
      throw new ProblemException(415, 'unsupported-media-type', 'Send the activity as application/json.');
    }
    throw ProblemException.validation([{ path: '', message: 'the request body is empty' }]);
  }
  return req.body as unknown;
}

function rejectionProblem(result: Extract<ItemResult, { status: 'rejected' }>): ProblemException {
  switch (result.reason) {
    case 'forbidden':
      return new ProblemException(403, 'forbidden', 'A rep may record only its own activities.', {
        errors: result.errors,
      });
    case 'conflict':
      return ProblemException.conflict(
        'activity-conflict',
        `Activity ${result.activityId ?? ''} was already recorded with a different payload (fields: ${result.errors.map((e) => e.path).join(', ')}).`,
        {
          activityId: result.activityId,
          conflictingFields: result.errors.map((e) => e.path),
          errors: result.errors,
        },
      );
    default:
      return ProblemException.validation(result.errors, 'The activity is not valid.');
  }
}

@ApiTags('activities')
@ApiBearerAuth()
@ApiExtraModels(...ACTIVITY_DTO_LIST)
@ApiResponse({ status: 401, description: 'No valid bearer token (problem+json).' })
@ApiResponse({
  status: 429,
  description: "The tenant's rate limit is exceeded; see Retry-After (problem+json).",
})
@UseGuards(TenantThrottlerGuard)
@Controller('v1')
export class ActivitiesController {
  constructor(
    private readonly ingestion: ActivityIngestionService,
    private readonly repository: ActivityRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post('activities')
  @TakesBody('json')
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles(...ACTIVITY_WRITERS)
  @ApiOperation({ summary: 'Record one activity (idempotent on activityId).' })
  @ApiBody({ schema: ACTIVITY_SCHEMA })
  @ApiResponse({ status: 202, type: AcceptedDto })
  @ApiResponse({ status: 400, description: 'Invalid activity; errors list the fields (problem+json).' })
  @ApiResponse({ status: 403, description: 'Role may not write, or a rep token naming another rep.' })
  @ApiResponse({
    status: 409,
    description: 'The activityId was recorded with a different payload; conflictingFields names them.',
  })
  @ApiResponse({ status: 413, description: 'Body over PACER_HTTP_BODY_LIMIT.' })
  async create(@CurrentPrincipal() principal: Principal, @Req() req: Request): Promise<AcceptedDto> {
    const [result] = await this.ingestion.ingest(principal, [requireJsonBody(req)], 'activity.recorded');
    if (!result) throw new Error('ingest returned no result');
    if (result.status === 'rejected') throw rejectionProblem(result);
    return result;
  }

  @Post('activities\\:batch')
  @TakesBody('json-items')
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles(...ACTIVITY_WRITERS)
  @ApiOperation({
    summary: `Record up to ${MAX_BATCH_ITEMS} activities; one result per item, in order.`,
    description:
      'Valid items are accepted even when others are rejected. More than 1000 items (or none) is a 400.',
  })
  @ApiBody({ schema: { type: 'array', maxItems: MAX_BATCH_ITEMS, items: ACTIVITY_SCHEMA } })
  @ApiResponse({ status: 202, type: BatchResultDto })
  @ApiResponse({ status: 400, description: 'Not a JSON array of 1 to 1000 items.' })
  @ApiResponse({ status: 413, description: 'Body over PACER_HTTP_BODY_LIMIT.' })
  async batch(@CurrentPrincipal() principal: Principal, @Req() req: Request): Promise<BatchResultDto> {
    const body = requireJsonBody(req);
    if (!Array.isArray(body)) {
      throw ProblemException.validation([
        { path: '', message: 'the body must be a JSON array of activities' },
      ]);
    }
    if (body.length === 0 || body.length > MAX_BATCH_ITEMS) {
      throw ProblemException.validation(
        [
          {
            path: '',
            message: `a batch holds 1 to ${MAX_BATCH_ITEMS} activities, this one has ${body.length}`,
          },
        ],
        'The batch size is out of range.',
      );
    }
    const results = await this.ingestion.ingest(principal, body);
    const counts = { accepted: 0, duplicates: 0, rejected: 0 };
    for (const r of results) {
      if (r.status === 'accepted') counts.accepted++;
      else if (r.status === 'duplicate') counts.duplicates++;
      else counts.rejected++;
    }
    return { results: results.map((r, index) => ({ index, ...r })), ...counts };
  }

  @Post('activities/import')
  @TakesBody('stream')
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles(...ACTIVITY_WRITERS)
  @ApiOperation({
    summary: 'Bulk import from a streamed NDJSON or CSV body (header row).',
    description:
      'The body is read as it arrives and written in chunks of 1000; it is never held in memory and has no size limit. ' +
      'Bad lines are reported with their line number and the rest is imported. Re-sending the same file is safe: ' +
      'accepted lines come back as duplicates. CSV: empty cell = field absent; credits as "repA:0.5;repB:0.5" or JSON; products as JSON.',
  })
  @ApiConsumes('application/x-ndjson', 'text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 202, type: ImportSummaryDto })
  @ApiResponse({ status: 400, description: 'A CSV header that cannot be used.' })
  @ApiResponse({ status: 415, description: 'Not application/x-ndjson or text/csv (or a content encoding).' })
  async import(@CurrentPrincipal() principal: Principal, @Req() req: Request): Promise<ImportSummary> {
    const type = mediaType(req);
    const charset = /charset=([^;]+)/i
      .exec(req.headers['content-type'] ?? '')?.[1]
      ?.trim()
      .toLowerCase();
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (
      (!NDJSON_TYPES.has(type) && !CSV_TYPES.has(type)) ||
      (charset && charset !== 'utf-8' && charset !== 'utf8') ||
      encoding !== 'identity'
    ) {
      throw new ProblemException(
        415,
        'unsupported-media-type',
        'Send application/x-ndjson or text/csv, UTF-8, without a content encoding.',
      );
    }
    const items: AsyncIterable<ImportItem[]> = CSV_TYPES.has(type) ? csvItems(req) : ndjsonItems(req);
    try {
      return await this.ingestion.import(principal, items);
    } catch (e) {
      if (!(e instanceof ImportInterruptedError)) throw e;
      // A client error (a bad CSV header) keeps its status; anything else stops the import with a 503
      // that says how far it got. Chunks committed so far stay: re-sending the file is safe.
      if (e.cause instanceof HttpException) throw e.cause;
      this.logger.error({ err: e.cause, lines: e.summary.lines }, 'import interrupted');
      throw new ProblemException(
        503,
        'import-interrupted',
        'The import stopped before the end of the body; committed lines stay and re-sending the file is safe.',
        { ...e.summary },
      );
    }
  }

  @Post('activities/:activityId/void')
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles(...ACTIVITY_WRITERS)
  @ApiOperation({
    summary: 'Retract a wrongly recorded activity (publishes pacer.activity.voided.v1).',
    description:
      'Voiding an activity that is already voided publishes nothing and answers 200 with status already_voided.',
  })
  @ApiParam({ name: 'activityId' })
  @ApiResponse({ status: 202, type: VoidResultDto, description: 'Voided now.' })
  @ApiResponse({ status: 200, type: VoidResultDto, description: 'Was already voided; nothing published.' })
  @ApiResponse({
    status: 403,
    description:
      'A rep voids only activities it recorded; activities recorded with ingest are voided by ingest or an admin (problem+json).',
  })
  @ApiResponse({ status: 404, description: 'No such activity in this tenant.' })
  async void(
    @CurrentPrincipal() principal: Principal,
    @Param('activityId') activityId: string,
    @Body() body: VoidActivityDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VoidResultDto> {
    if (!isId(activityId)) throw ProblemException.notFound(`Activity`);
    const voider = {
      role: actingRole(principal, ACTIVITY_WRITERS),
      ...(principal.repId !== undefined ? { repId: principal.repId } : {}),
    };
    const outcome = await this.repository.void(auditActor(principal), voider, activityId, body.reason);
    switch (outcome.status) {
      case 'not_found':
        throw ProblemException.notFound(`Activity ${activityId}`);
      case 'refused':
        throw new ProblemException(403, 'forbidden', `Activity ${activityId} may not be voided by this caller: ${outcome.reason}.`);
      case 'already_voided':
        res.status(HttpStatus.OK);
        return { activityId, status: 'already_voided' };
      default:
        return { activityId, status: 'voided' };
    }
  }

  @Get('activities')
  @ApiOperation({
    summary: "The tenant's activities by occurredAt (then activityId), cursor-paginated.",
    description:
      'Voided activities are listed with voided: true. A rep-only token sees only its own activities.',
  })
  @ApiOkResponse({ type: ActivityPageDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListActivitiesQueryDto,
  ): Promise<ActivityPageDto> {
    const own = onlyOwn(principal);
    if (own !== undefined && query.repId !== undefined && query.repId !== own) {
      throw new ProblemException(403, 'forbidden', 'A rep may list only its own activities.');
    }
    let after;
    if (query.cursor !== undefined) {
      after = decodeCursor(query.cursor);
      if (!after)
        throw ProblemException.validation([
          { path: 'cursor', message: 'is not a cursor returned by this endpoint' },
        ]);
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.repository.list({
      tenantId: principal.tenantId,
      repId: own ?? query.repId,
      kind: query.kind,
      from: query.from,
      to: query.to,
      after,
      limit,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ occurredKey: _, ...item }) => item as ListedActivityDto),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ occurredAt: last.occurredKey, activityId: last.activity.activityId })
          : null,
    };
  }

  @Get('activities/:activityId')
  @ApiOperation({ summary: 'One activity of the tenant, with its void state.' })
  @ApiParam({ name: 'activityId' })
  @ApiOkResponse({ type: ListedActivityDto })
  @ApiResponse({ status: 404, description: 'No such activity in this tenant.' })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('activityId') activityId: string,
  ): Promise<StoredActivity> {
    const found = isId(activityId) ? await this.repository.find(principal.tenantId, activityId) : undefined;
    if (!found) throw ProblemException.notFound(`Activity ${activityId}`);
    const own = onlyOwn(principal);
    if (own !== undefined && found.activity.repId !== own) {
      throw new ProblemException(403, 'forbidden', 'A rep may read only its own activities.');
    }
    return found;
  }
}
