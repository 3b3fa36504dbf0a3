import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { PspConnectorRegistry } from '@keel/executor-connectors';
import { OperatorAccess, OperatorAudited } from '@keel/operator-auth';
import { InvalidRoutesError } from '../executor.errors';
import { PspRouteRepository } from './psp-route.repository';
import { PspRoutesDto } from './psp-routes.dto';
import { PspRoutingService } from './psp-routing.service';

/**
 * The routing table, for operators: viewers read it, operators replace it (audited). Operations
 * will own it later; for now this is its only writer.
 */
@ApiTags('routes')
@Controller('v1/routes')
export class PspRoutesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: PspRouteRepository,
    private readonly routing: PspRoutingService,
    private readonly connectors: PspConnectorRegistry,
  ) {}

  @Get()
  @OperatorAccess('viewer')
  @ApiOperation({ summary: 'The routing table in force' })
  @ApiOkResponse({ type: PspRoutesDto })
  list(): PspRoutesDto {
    return { routes: [...this.routing.current()] };
  }

  @Put()
  @OperatorAccess('operator')
  @OperatorAudited('routes.replace', () => 'routes')
  @ApiOperation({
    summary: 'Replaces the routing table; every executor applies it within ROUTING_REFRESH_MS',
  })
  @ApiOkResponse({ type: PspRoutesDto })
  @ApiUnprocessableEntityResponse({
    description: 'problem+json of type https://keel.dev/problems/invalid_routes',
  })
  async replace(@Body() body: PspRoutesDto): Promise<PspRoutesDto> {
    const seen = new Set<string>();
    for (const route of body.routes) {
      if (!this.connectors.has(route.pspId))
        throw new InvalidRoutesError(`No connector for PSP ${route.pspId}`);
      const key = `${route.methodType}/${route.provider}/${route.pspId}`;
      if (seen.has(key)) throw new InvalidRoutesError(`Route ${key} appears twice`);
      seen.add(key);
    }
    await this.dataSource.transaction((manager) => this.repository.replaceAll(manager, body.routes));
    await this.routing.refresh();
    return this.list();
  }
}
