import { DomainError } from '@keel/observability';

/** The problems reconciliation's API answers with; codes are the last segment of the type URI. */
export const ReconciliationProblemCode = {
  UNKNOWN_PSP: 'unknown-psp',
  INVALID_SETTLEMENT_DATE: 'invalid-settlement-date',
  SETTLEMENT_DATE_IN_FUTURE: 'settlement-date-in-future',
  MALFORMED_SETTLEMENT_FILE: 'malformed-settlement-file',
  SETTLEMENT_FILE_TOO_LARGE: 'settlement-file-too-large',
  SETTLEMENT_DOWNLOAD_FAILED: 'settlement-download-failed',
  UNSUPPORTED_UPLOAD_TYPE: 'unsupported-upload-type',
  UPLOAD_UNREADABLE: 'upload-unreadable',
  RUN_NOT_FOUND: 'reconciliation-run-not-found',
  INVALID_CURSOR: 'invalid-cursor',
  DISCREPANCY_NOT_FOUND: 'discrepancy-not-found',
  DISCREPANCY_ALREADY_RESOLVED: 'discrepancy-already-resolved',
  RUN_NOT_COMPLETED: 'reconciliation-run-not-completed',
} as const;

export class UnknownPspError extends DomainError {
  constructor(psp: string, known: readonly string[]) {
    super({
      code: ReconciliationProblemCode.UNKNOWN_PSP,
      status: 400,
      title: 'Unknown PSP',
      detail: `No settlement files are read for PSP ${JSON.stringify(psp)}; the PSPs are ${known.join(', ')}.`,
      extensions: { psp, knownPsps: known },
    });
  }
}

export class InvalidSettlementDateError extends DomainError {
  constructor(date: string) {
    super({
      code: ReconciliationProblemCode.INVALID_SETTLEMENT_DATE,
      status: 400,
      title: 'Invalid settlement date',
      detail: `${JSON.stringify(date)} is not a calendar day written YYYY-MM-DD.`,
      extensions: { date },
    });
  }
}

/** A day that has not begun in the PSP's zone has no file yet. */
export class SettlementDateInFutureError extends DomainError {
  constructor(psp: string, date: string, timeZone: string, today: string) {
    super({
      code: ReconciliationProblemCode.SETTLEMENT_DATE_IN_FUTURE,
      status: 400,
      title: 'Settlement date in the future',
      detail: `${date} has not begun for ${psp}, whose days are in ${timeZone} (today there is ${today}).`,
      extensions: { psp, date, timeZone, today },
    });
  }
}

/** The file is not its PSP's dialect: nothing of it was stored. */
export class MalformedSettlementFileError extends DomainError {
  constructor(psp: string, lineNumber: number, problem: string, detail: string, runId: string) {
    super({
      code: ReconciliationProblemCode.MALFORMED_SETTLEMENT_FILE,
      status: 422,
      title: 'Malformed settlement file',
      detail: `Line ${lineNumber} of the ${psp} file: ${detail}. Nothing of the file was stored.`,
      extensions: { psp, lineNumber, problem, runId },
    });
  }
}

export class SettlementFileTooLargeError extends DomainError {
  constructor(bytesMax: number, runId: string) {
    super({
      code: ReconciliationProblemCode.SETTLEMENT_FILE_TOO_LARGE,
      status: 413,
      title: 'Settlement file too large',
      detail: `The file is larger than ${bytesMax} bytes (RECON_FILE_BYTES_MAX); nothing of it was stored.`,
      extensions: { bytesMax, runId },
    });
  }
}

/** The PSP did not serve its file (refused, failed, too slow, cut off or too large): nothing stored. */
export class SettlementDownloadFailedError extends DomainError {
  constructor(psp: string, reason: string, runId: string) {
    super({
      code: ReconciliationProblemCode.SETTLEMENT_DOWNLOAD_FAILED,
      status: 502,
      title: 'Settlement file not downloaded',
      detail: `${psp}'s settlement file could not be downloaded: ${reason}. Nothing of it was stored.`,
      extensions: { psp, runId },
    });
  }
}

export class UnsupportedUploadTypeError extends DomainError {
  constructor(accepted: readonly string[]) {
    super({
      code: ReconciliationProblemCode.UNSUPPORTED_UPLOAD_TYPE,
      status: 415,
      title: 'Unsupported upload type',
      detail: `Send the settlement file as the request body with Content-Type ${accepted.join(', ')}.`,
      extensions: { accepted },
    });
  }
}

/** The client stopped sending the file before its end: nothing stored. */
export class UploadUnreadableError extends DomainError {
  constructor(runId: string) {
    super({
      code: ReconciliationProblemCode.UPLOAD_UNREADABLE,
      status: 400,
      title: 'Upload not read',
      detail: 'The uploaded file could not be read to its end; nothing of it was stored.',
      extensions: { runId },
    });
  }
}

export class RunNotFoundError extends DomainError {
  constructor(runId: string) {
    super({
      code: ReconciliationProblemCode.RUN_NOT_FOUND,
      status: 404,
      title: 'Reconciliation run not found',
      detail: `No reconciliation run has the id ${JSON.stringify(runId)}.`,
      extensions: { runId },
    });
  }
}

export class InvalidCursorError extends DomainError {
  constructor() {
    super({
      code: ReconciliationProblemCode.INVALID_CURSOR,
      status: 400,
      title: 'Invalid cursor',
      detail: 'The cursor was not issued by this list; start again without one.',
    });
  }
}

export class DiscrepancyNotFoundError extends DomainError {
  constructor(discrepancyId: string) {
    super({
      code: ReconciliationProblemCode.DISCREPANCY_NOT_FOUND,
      status: 404,
      title: 'Discrepancy not found',
      detail: `No discrepancy has the id ${JSON.stringify(discrepancyId)}.`,
      extensions: { discrepancyId },
    });
  }
}

/** Resolving is done once; a resolved discrepancy takes notes still. */
export class DiscrepancyAlreadyResolvedError extends DomainError {
  constructor(discrepancyId: string, resolvedBy: string, resolvedAt: string) {
    super({
      code: ReconciliationProblemCode.DISCREPANCY_ALREADY_RESOLVED,
      status: 409,
      title: 'Discrepancy already resolved',
      detail: `Discrepancy ${discrepancyId} was resolved by ${resolvedBy} at ${resolvedAt}; add a note instead.`,
      extensions: { discrepancyId, resolvedBy, resolvedAt },
    });
  }
}

/** A run that is running or failed has no report. */
export class RunNotCompletedError extends DomainError {
  constructor(runId: string, status: string) {
    super({
      code: ReconciliationProblemCode.RUN_NOT_COMPLETED,
      status: 409,
      title: 'Reconciliation run not completed',
      detail: `Run ${runId} is ${status}; only a completed run has a report.`,
      extensions: { runId, status },
    });
  }
}
