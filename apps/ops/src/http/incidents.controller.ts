import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperatorAccess, OperatorAudited, type OperatorRequest } from '@keel/operator-auth';
import type { Incident, IncidentWithUpdates } from '../incidents/incident';
import { Incidents } from '../incidents/incidents.service';
import { IncidentListQuery, IncidentNoteBody, PostMortemBody } from './ops.dto';
import { actorOf } from './operator-actor.util';
import { PAGE_SIZE_MAX } from './routing.controller';

function incidentTarget(request: OperatorRequest): string {
  return `incident:${request.params?.['incidentId'] ?? ''}`;
}

const dateOf = (text: string | undefined) => (text === undefined ? undefined : new Date(text));

/** Incidents, for people: viewers read them, operators acknowledge, annotate, resolve and write post-mortems. */
@ApiTags('ops incidents')
@Controller('v1/ops/incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: Incidents,
    @Inject(PAGE_SIZE_MAX) private readonly pageSizeMax: number,
  ) {}

  @Get()
  @OperatorAccess('viewer')
  @ApiOperation({ summary: 'Incidents, newest first, by status; `before` is the last id of the page before' })
  list(@Query() query: IncidentListQuery): Promise<Incident[]> {
    return this.incidents.list({
      status: query.status,
      limit: Math.min(query.limit ?? this.pageSizeMax, this.pageSizeMax),
      before: query.before,
    });
  }

  @Get(':incidentId')
  @OperatorAccess('viewer')
  @ApiOperation({ summary: 'One incident with its diagnosis, mitigation, post-mortem and timeline' })
  get(@Param('incidentId') incidentId: string): Promise<IncidentWithUpdates> {
    return this.incidents.get(incidentId);
  }

  @Post(':incidentId/acknowledge')
  @HttpCode(200)
  @OperatorAccess('operator')
  @OperatorAudited('ops_incidents.acknowledge', incidentTarget)
  @ApiOperation({ summary: 'Someone is on it' })
  acknowledge(
    @Param('incidentId') incidentId: string,
    @Req() request: OperatorRequest,
  ): Promise<IncidentWithUpdates> {
    return this.incidents.acknowledge(incidentId, actorOf(request));
  }

  @Post(':incidentId/notes')
  @HttpCode(201)
  @OperatorAccess('operator')
  @OperatorAudited('ops_incidents.annotate', incidentTarget)
  @ApiOperation({ summary: "Adds a note to the incident's timeline" })
  annotate(
    @Param('incidentId') incidentId: string,
    @Body() body: IncidentNoteBody,
    @Req() request: OperatorRequest,
  ): Promise<IncidentWithUpdates> {
    return this.incidents.annotate(incidentId, actorOf(request), body.note);
  }

  @Post(':incidentId/resolve')
  @HttpCode(200)
  @OperatorAccess('operator')
  @OperatorAudited('ops_incidents.resolve', incidentTarget)
  @ApiOperation({ summary: 'Closes the incident with why; a new firing on its scope opens another' })
  resolve(
    @Param('incidentId') incidentId: string,
    @Body() body: IncidentNoteBody,
    @Req() request: OperatorRequest,
  ): Promise<IncidentWithUpdates> {
    return this.incidents.resolve(incidentId, actorOf(request), body.note);
  }

  @Put(':incidentId/post-mortem')
  @OperatorAccess('operator')
  @OperatorAudited('ops_incidents.post_mortem', incidentTarget)
  @ApiOperation({
    summary: 'Sets the post-mortem fields given (times, cause, scope, affected payments and amount)',
  })
  postMortem(
    @Param('incidentId') incidentId: string,
    @Body() body: PostMortemBody,
    @Req() request: OperatorRequest,
  ): Promise<IncidentWithUpdates> {
    return this.incidents.writePostMortem(incidentId, actorOf(request), {
      startedAt: dateOf(body.startedAt),
      detectedAt: dateOf(body.detectedAt),
      mitigatedAt: dateOf(body.mitigatedAt),
      recoveredAt: dateOf(body.recoveredAt),
      cause: body.cause,
      scope: body.scope,
      affectedPayments: body.affectedPayments,
      affectedAmount: body.affectedAmount,
    });
  }
}
