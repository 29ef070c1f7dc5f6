import { Controller, Get, Module, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@pacer/auth';
import { ProblemException } from '@pacer/http';
import { decodeAuditCursor, listAudit } from './audit-log';
import { AUDIT_DEFAULT_PAGE_SIZE, AuditPageDto, AuditQueryDto } from './audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Roles('admin', 'operator')
  @ApiOperation({
    summary: "Who changed what in this service: the tenant's audit log, newest first, cursor-paginated.",
    description:
      "Admins read their tenant's records; an operator reads the platform-wide ones (scope=all rebuilds) and no tenant's.",
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiResponse({
    status: 400,
    description: 'A filter is not valid, or from is not before to (problem+json).',
  })
  @ApiResponse({ status: 403, description: 'Admins and operators only (problem+json).' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    if (
      query.from !== undefined &&
      query.to !== undefined &&
      Date.parse(query.from) >= Date.parse(query.to)
    ) {
      throw ProblemException.validation([{ path: 'to', message: 'to must be later than from' }]);
    }
    const after = query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw ProblemException.validation([
        { path: 'cursor', message: 'is not a cursor returned by this endpoint' },
      ]);
    }
    return listAudit(this.dataSource, {
      // An operator's token has tenantId '': exactly the platform-wide records.
      tenantId: principal.tenantId,
      from: query.from,
      to: query.to,
      actor: query.actor,
      type: query.type,
      after,
      limit: query.limit ?? AUDIT_DEFAULT_PAGE_SIZE,
    });
  }
}

/** Import into a service's module to serve `GET /v1/audit` (the service must list CreateAuditLog in its migrations). */
@Module({ controllers: [AuditController] })
export class AuditModule {}
