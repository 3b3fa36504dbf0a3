import type { IncomingMessage } from 'node:http';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperatorAccess, OperatorAudited, type OperatorRequest } from '@keel/operator-auth';
import { UnsupportedUploadTypeError } from '../reconciliation.errors';
import type { ReconciliationRun, RunPage } from '../runs/reconciliation-run';
import { ReconciliationRuns } from '../runs/reconciliation-runs.service';
import { CreateRunBody, ListRunsQuery, UploadRunQuery } from './reconciliation-runs.dto';

/**
 * Media types an upload may have. The platform's JSON parser takes only JSON, so these bodies
 * reach the run unread and stream into it.
 */
export const UPLOAD_MEDIA_TYPES = ['text/csv', 'text/plain', 'application/octet-stream'] as const;

function mediaTypeOf(request: IncomingMessage): string {
  const [mediaType = ''] = (request.headers['content-type'] ?? '').split(';');
  return mediaType.trim().toLowerCase();
}

/** What an operator's run names, for the audit: `settlement:<psp>:<date>`. */
function settlementTarget(fields: unknown): string {
  const { psp, date } = (typeof fields === 'object' && fields !== null ? fields : {}) as Record<
    string,
    unknown
  >;
  return `settlement:${String(psp)}:${String(date)}`;
}

/** Reconciliation runs, for operators: operators start them (audited), viewers read them. */
@ApiTags('reconciliation runs')
@Controller('v1/reconciliation/runs')
export class ReconciliationRunsController {
  constructor(private readonly runs: ReconciliationRuns) {}

  @Post()
  @HttpCode(201)
  @OperatorAccess('operator')
  @OperatorAudited('reconciliation_runs.create', (request: OperatorRequest) => settlementTarget(request.body))
  @ApiOperation({ summary: "Downloads the PSP's settlement file of a day, ingests it and answers the run" })
  create(@Body() body: CreateRunBody): Promise<ReconciliationRun> {
    return this.runs.download(body.psp, body.date);
  }

  @Post('upload')
  @HttpCode(201)
  @OperatorAccess('operator')
  @OperatorAudited('reconciliation_runs.upload', (request: OperatorRequest) =>
    settlementTarget(request.query),
  )
  @ApiOperation({ summary: 'Ingests a settlement file sent as the raw request body and answers the run' })
  upload(@Query() query: UploadRunQuery, @Req() request: IncomingMessage): Promise<ReconciliationRun> {
    if (!(UPLOAD_MEDIA_TYPES as readonly string[]).includes(mediaTypeOf(request))) {
      throw new UnsupportedUploadTypeError(UPLOAD_MEDIA_TYPES);
    }
    return this.runs.upload(query.psp, query.date, request);
  }

  @Get()
  @OperatorAccess('viewer')
  @ApiOperation({ summary: 'Runs, newest first, with cursor pagination' })
  list(@Query() query: ListRunsQuery): Promise<RunPage> {
    return this.runs.list(query);
  }

  @Get(':runId')
  @OperatorAccess('viewer')
  @ApiOperation({ summary: 'One run: status, error, summary' })
  get(@Param('runId') runId: string): Promise<ReconciliationRun> {
    return this.runs.find(runId);
  }
}
