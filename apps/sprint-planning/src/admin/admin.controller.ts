import { Controller, HttpCode, Post, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '@pacer/auth';
import { SprintPlanningErrorFilter } from '../http/sprint-planning-error.filter';
import { rebuildReadModels } from '../projections/rebuild-read-models';
import { SprintPlanningProjection } from '../projections/sprint-planning.projection';

@ApiTags('admin')
@ApiBearerAuth()
@UseFilters(SprintPlanningErrorFilter)
@Controller('v1/admin')
export class AdminController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projection: SprintPlanningProjection,
  ) {}

  @Post('rebuild')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      'Rebuild every read model from the event store (writes wait meanwhile); boards and reports come out identical.',
  })
  rebuild(): Promise<{ events: number }> {
    return rebuildReadModels(this.dataSource, this.projection);
  }
}
