import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { OperatorAccess, OperatorAudited, type OperatorRequest } from '@keel/operator-auth';
import { ANY_PROVIDER, routesOf, type Route } from '@keel/ops-domain';
import { RoutingControl, type RoutingOutcome } from '../routing/routing-control.service';
import {
  RoutingStateRepository,
  type HeldGroup,
  type MethodStatus,
  type RoutingAuditEntry,
} from '../routing/routing-state.repository';
import {
  GroupWeightsBody,
  MethodGroupParams,
  MethodStatusBody,
  MethodTypeParams,
  PageQuery,
  WhyBody,
} from './ops.dto';
import { actorOf } from './operator-actor.util';

export const PAGE_SIZE_MAX = Symbol('keel.ops.page-size-max');

export interface RoutingOverview {
  /** The executor's table in force. */
  readonly routes: readonly Route[];
  readonly holds: readonly HeldGroup[];
  /** Methods and providers as buyers see them; one never switched is on. */
  readonly methods: readonly MethodStatus[];
}

function groupTarget(request: OperatorRequest): string {
  const params = request.params ?? {};
  const provider =
    params['provider'] ?? (request.body as { provider?: string } | undefined)?.provider ?? ANY_PROVIDER;
  return `route-group:${params['methodType'] ?? ''}/${provider}`;
}

/**
 * Routing, for people: the table with holds and method statuses (viewers); a group's PSP weights,
 * a method or provider on or off with its notice, a hold released (operators, audited). Every
 * change goes through RoutingControl, like automation's, and holds its group against automation.
 */
@ApiTags('ops routing')
@ApiServiceUnavailableResponse({ description: 'problem+json executor-unavailable: nothing was changed' })
@Controller('v1/ops/routing')
export class RoutingController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly routing: RoutingControl,
    private readonly state: RoutingStateRepository,
    @Inject(PAGE_SIZE_MAX) private readonly pageSizeMax: number,
  ) {}

  @Get()
  @OperatorAccess('viewer')
  @ApiOperation({
    summary: 'The routing table in force, the held groups, and the methods switched for buyers',
  })
  async overview(): Promise<RoutingOverview> {
    const manager = this.dataSource.manager;
    const [routes, holds, methods] = await Promise.all([
      this.routing.routes(),
      this.state.holds(manager),
      this.state.methodStatuses(manager),
    ]);
    return { routes, holds, methods };
  }

  @Put('weights/:methodType')
  @OperatorAccess('operator')
  @OperatorAudited('ops_routing.weights', groupTarget)
  @ApiOperation({ summary: "Sets one route group's PSPs and weights; the group is held against automation" })
  setWeights(
    @Param() { methodType }: MethodTypeParams,
    @Body() body: GroupWeightsBody,
    @Req() request: OperatorRequest,
  ): Promise<RoutingOutcome> {
    const provider = body.provider ?? ANY_PROVIDER;
    return this.routing.apply({
      actor: actorOf(request),
      why: body.why,
      decide: ({ routes }) => ({
        changes: [
          {
            kind: 'weights',
            methodType,
            provider,
            before: routesOf(routes, methodType, provider),
            after: body.routes.map((route) => ({ methodType, provider, ...route })),
          },
        ],
        skipped: [],
      }),
    });
  }

  @Put('methods/:methodType/:provider')
  @OperatorAccess('operator')
  @OperatorAudited('ops_routing.method', groupTarget)
  @ApiOperation({
    summary:
      "Switches a method ('*') or one provider off for buyers with its notice, or on; held against automation",
  })
  setMethod(
    @Param() { methodType, provider }: MethodGroupParams,
    @Body() body: MethodStatusBody,
    @Req() request: OperatorRequest,
  ): Promise<RoutingOutcome> {
    return this.routing.apply({
      actor: actorOf(request),
      why: body.why,
      decide: () => ({
        changes: [
          {
            kind: 'method',
            methodType,
            provider,
            enabled: body.enabled,
            ...(body.enabled || body.notice === undefined ? {} : { notice: body.notice }),
          },
        ],
        skipped: [],
      }),
    });
  }

  @Post('holds/:methodType/:provider/release')
  @HttpCode(204)
  @OperatorAccess('operator')
  @OperatorAudited('ops_routing.release', groupTarget)
  @ApiOperation({ summary: "Releases a person's hold on a group: automation may act on it again" })
  async release(
    @Param() { methodType, provider }: MethodGroupParams,
    @Body() body: WhyBody,
    @Req() request: OperatorRequest,
  ): Promise<void> {
    await this.routing.release(methodType, provider, actorOf(request), body.why);
  }

  @Get('changes')
  @OperatorAccess('viewer')
  @ApiOperation({
    summary: 'The routing audit, newest first: every change with actor, time, before, after and why',
  })
  changes(@Query() query: PageQuery): Promise<RoutingAuditEntry[]> {
    const limit = Math.min(query.limit ?? this.pageSizeMax, this.pageSizeMax);
    const before = query.before !== undefined && /^\d{1,18}$/.test(query.before) ? query.before : undefined;
    return this.state.audit(this.dataSource.manager, limit, before);
  }
}
