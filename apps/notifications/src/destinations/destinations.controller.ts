import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@pacer/auth';
import { ProblemException } from '@pacer/http';
import { auditActor } from '@pacer/platform';
import { isId } from '@pacer/sales-domain';
import { DESTINATION_ERRORS, DestinationError } from './destination.error';
import {
  CreateDestinationDto,
  CreatedDestinationView,
  DeliveriesQueryDto,
  DeliveryListView,
  DestinationListView,
  DestinationView,
  TestDeliveryView,
  UpdateDestinationDto,
} from './destination.dto';
import { DestinationsService } from './destinations.service';

/** Maps the domain's errors to problem documents; the service never speaks HTTP. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof DestinationError) {
      throw new ProblemException(DESTINATION_ERRORS[e.code], e.code, e.message, e.errors.length > 0 ? { errors: e.errors } : {});
    }
    throw e;
  }
}

function checkId(destinationId: string): void {
  // Not an id this service could have made: it does not exist (and never reaches SQL as a value).
  if (!isId(destinationId)) throw ProblemException.notFound(`Destination ${String(destinationId).slice(0, 128)}`);
}

@ApiTags('destinations')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/destinations')
export class DestinationsController {
  constructor(private readonly destinations: DestinationsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a Slack or webhook destination; a generated webhook secret is returned once.' })
  @ApiCreatedResponse({ type: CreatedDestinationView })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateDestinationDto): Promise<CreatedDestinationView> {
    return answer(() => this.destinations.create(auditActor(principal, ['admin']), dto));
  }

  @Get()
  @ApiOperation({ summary: "The tenant's destinations with their delivery status." })
  @ApiOkResponse({ type: DestinationListView })
  async list(@CurrentPrincipal() principal: Principal): Promise<DestinationListView> {
    return { items: await this.destinations.list(principal.tenantId) };
  }

  @Get(':destinationId')
  @ApiOperation({ summary: 'One destination with its delivery status (breaker, last success and failure, backlog).' })
  @ApiOkResponse({ type: DestinationView })
  get(@CurrentPrincipal() principal: Principal, @Param('destinationId') destinationId: string): Promise<DestinationView> {
    checkId(destinationId);
    return answer(() => this.destinations.get(principal.tenantId, destinationId));
  }

  @Patch(':destinationId')
  @ApiOperation({ summary: 'Change a destination; fields left out keep their value. A new URL resets the breaker.' })
  @ApiOkResponse({ type: DestinationView })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('destinationId') destinationId: string,
    @Body() dto: UpdateDestinationDto,
  ): Promise<DestinationView> {
    checkId(destinationId);
    return answer(() => this.destinations.update(auditActor(principal, ['admin']), destinationId, dto));
  }

  @Delete(':destinationId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a destination and its deliveries (pending ones are not sent).' })
  @ApiNoContentResponse()
  async delete(@CurrentPrincipal() principal: Principal, @Param('destinationId') destinationId: string): Promise<void> {
    checkId(destinationId);
    await answer(() => this.destinations.delete(auditActor(principal, ['admin']), destinationId));
  }

  @Post(':destinationId/test')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Queue a test message to the destination (whatever its filters), delivered like any notification.' })
  @ApiAcceptedResponse({ type: TestDeliveryView })
  async sendTest(@CurrentPrincipal() principal: Principal, @Param('destinationId') destinationId: string): Promise<TestDeliveryView> {
    checkId(destinationId);
    return { deliveryId: await answer(() => this.destinations.sendTest(auditActor(principal, ['admin']), destinationId)) };
  }

  @Get(':destinationId/deliveries')
  @ApiOperation({ summary: "The destination's deliveries, newest first, with its breaker state and last success and failure." })
  @ApiOkResponse({ type: DeliveryListView })
  deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('destinationId') destinationId: string,
    @Query() query: DeliveriesQueryDto,
  ): Promise<DeliveryListView> {
    checkId(destinationId);
    return answer(() => this.destinations.deliveriesOf(principal.tenantId, destinationId, query));
  }
}
