/** A settlement file's bytes stopped coming before its end: the PSP or the uploader cut it off. */
export class SettlementSourceError extends Error {
  override readonly name = 'SettlementSourceError';

  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

/** The file is longer than RECON_FILE_BYTES_MAX. */
export class SettlementFileTooLarge extends Error {
  override readonly name = 'SettlementFileTooLarge';

  constructor(readonly bytesMax: number) {
    super(`the file is larger than ${bytesMax} bytes`);
  }
}

/**
 * The chunks of `source`, with a failure to read them (a reset, an abort, a timeout) turned into a
 * SettlementSourceError saying what was being read, so that it is told apart from a file that was
 * read and found malformed.
 */
export async function* sourceChunks(
  source: AsyncIterable<Buffer>,
  what: string,
): AsyncGenerator<Buffer, void, undefined> {
  try {
    for await (const chunk of source) yield chunk;
  } catch (error) {
    throw new SettlementSourceError(`${what}: ${describeFailure(error)}`, { cause: error });
  }
}

/** A transport failure in words: its name, message and code, never a payload. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string'
    ? `${error.name}: ${error.message} (${code})`
    : `${error.name}: ${error.message}`;
}
