import { Readable } from 'node:stream';
import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  StreamableFile,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperatorAccess, OperatorAudited, type OperatorRequest } from '@keel/operator-auth';
import { Discrepancies, type DiscrepancyPage } from '../discrepancies/discrepancies.service';
import { ReconciliationRuns } from '../runs/reconciliation-runs.service';
import type { Discrepancy, DiscrepancyNote, DiscrepancyWithNotes } from '../discrepancies/discrepancy';
import { DiscrepancyNoteBody, ListDiscrepanciesQuery } from './reconciliation-discrepancies.dto';

function discrepancyTarget(request: OperatorRequest): string {
  return `discrepancy:${request.params?.['discrepancyId'] ?? ''}`;
}

/** The operator the guard authenticated: who resolved or wrote. */
function actorOf(request: OperatorRequest): string {
  if (request.operator === undefined)
    throw new Error('an operator route ran without an authenticated operator');
  return request.operator.name;
}

/** Discrepancies, for operators: viewers read them, operators resolve and annotate them (audited). */
@ApiTags('reconciliation discrepancies')
@Controller('v1/reconciliation/discrepancies')
export class ReconciliationDiscrepanciesController {
  constructor(private readonly discrepancies: Discrepancies) {}

  @Get()
  @OperatorAccess('viewer')
  @ApiOperation({ summary: 'Discrepancies, newest day first, filtered, with cursor pagination' })
  list(@Query() query: ListDiscrepanciesQuery): Promise<DiscrepancyPage> {
    return this.discrepancies.list(query);
  }

  @Get(':discrepancyId')
  @OperatorAccess('viewer')
  @ApiOperation({ summary: "One discrepancy: both sides' data, status, and its notes" })
  get(@Param('discrepancyId') discrepancyId: string): Promise<DiscrepancyWithNotes> {
    return this.discrepancies.find(discrepancyId);
  }

  @Post(':discrepancyId/resolve')
  @HttpCode(200)
  @OperatorAccess('operator')
  @OperatorAudited('reconciliation_discrepancies.resolve', discrepancyTarget)
  @ApiOperation({ summary: 'Resolves an open discrepancy with the reason' })
  resolve(
    @Param('discrepancyId') discrepancyId: string,
    @Body() body: DiscrepancyNoteBody,
    @Req() request: OperatorRequest,
  ): Promise<Discrepancy> {
    return this.discrepancies.resolve(discrepancyId, actorOf(request), body.note);
  }

  @Post(':discrepancyId/notes')
  @HttpCode(201)
  @OperatorAccess('operator')
  @OperatorAudited('reconciliation_discrepancies.annotate', discrepancyTarget)
  @ApiOperation({ summary: 'Adds a note to a discrepancy' })
  annotate(
    @Param('discrepancyId') discrepancyId: string,
    @Body() body: DiscrepancyNoteBody,
    @Req() request: OperatorRequest,
  ): Promise<DiscrepancyNote> {
    return this.discrepancies.annotate(discrepancyId, actorOf(request), body.note);
  }
}

/** A run's report, streamed as CSV (viewers). */
@ApiTags('reconciliation runs')
@Controller('v1/reconciliation/runs')
export class ReconciliationRunReportController {
  constructor(
    private readonly runs: ReconciliationRuns,
    private readonly discrepancies: Discrepancies,
  ) {}

  @Get(':runId/report.csv')
  @OperatorAccess('viewer')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiOperation({ summary: "A completed run's report: its day's discrepancies as CSV, streamed" })
  async report(@Param('runId') runId: string): Promise<StreamableFile> {
    const run = await this.runs.completed(runId);
    const lines = this.discrepancies.report({ runId: run.id, psp: run.psp, date: run.date });
    return new StreamableFile(Readable.from(lines), {
      disposition: `attachment; filename="reconciliation-${runId}.csv"`,
    });
  }
}
