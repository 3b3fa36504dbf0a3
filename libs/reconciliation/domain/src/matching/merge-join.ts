/** What a merge join pairs up under one key: Keel's record (if any) and the file's rows (maybe none). */
export interface JoinedGroup<K, R> {
  readonly key: string;
  readonly keel: K | undefined;
  readonly rows: readonly R[];
}

export interface MergeJoinOptions<K, R> {
  readonly keelKey: (keel: K) => string;
  readonly rowKey: (row: R) => string;
  /** The most rows one key may gather; a file repeating one key without end fails instead of filling memory. */
  readonly maxRowsPerKey: number;
}

export const DEFAULT_MAX_ROWS_PER_KEY = 1_000;

/** The inputs of a merge join break its contract: not sorted, a Keel key twice, too many rows for a key. */
export class MergeJoinError extends Error {
  override readonly name = 'MergeJoinError';
}

/**
 * Joins two streams sorted ascending by the same key, each read a chunk (an array) at a time — one
 * `await` per chunk, not per item — holding a chunk of each and the current key's group: yields
 * each key once, in order, with Keel's record and the rows under it; a key's rows may span chunks. Keys compare by UTF-16 code
 * unit (`<`), which for ASCII keys is PostgreSQL's `ORDER BY key COLLATE "C"`; Keel's side holds a
 * key at most once, the rows' side any number of times. Input out of order fails the join rather
 * than silently pair the wrong things.
 */
export async function* mergeJoin<K, R>(
  keelSide: AsyncIterable<readonly K[]>,
  rowSide: AsyncIterable<readonly R[]>,
  options: MergeJoinOptions<K, R>,
): AsyncGenerator<JoinedGroup<K, R>> {
  const keel = new SortedCursor(keelSide[Symbol.asyncIterator](), options.keelKey, 'Keel', true);
  const rows = new SortedCursor(rowSide[Symbol.asyncIterator](), options.rowKey, 'settlement', false);
  let failed = false;
  try {
    await Promise.all([keel.advance(), rows.advance()]);
    for (;;) {
      const key = smallerKey(keel.key, rows.key);
      if (key === undefined) return;
      let keelRecord: K | undefined;
      if (keel.key === key) {
        keelRecord = keel.current;
        const fetching = keel.advance();
        if (fetching !== undefined) await fetching;
      }
      const group: R[] = [];
      while (rows.key === key) {
        if (group.length === options.maxRowsPerKey) {
          throw new MergeJoinError(
            `more than ${options.maxRowsPerKey} settlement rows under the key ${JSON.stringify(key)}`,
          );
        }
        group.push(rows.current as R);
        const fetching = rows.advance();
        if (fetching !== undefined) await fetching;
      }
      yield { key, keel: keelRecord, rows: group };
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // After a failure, closing the other side may fail too (a database cursor in the transaction
    // the failure aborted): the first error is the one that says what went wrong.
    const closing = Promise.allSettled([keel.close(), rows.close()]);
    if (failed) await closing;
    else await firstRejectionOf(await closing);
  }
}

async function firstRejectionOf(results: readonly PromiseSettledResult<void>[]): Promise<void> {
  const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
}

function smallerKey(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

/** One side of the join: its current item and key, checked to be in order as it advances. */
class SortedCursor<T> {
  current: T | undefined;
  key: string | undefined;
  #chunk: readonly T[] = [];
  #next = 0;

  constructor(
    private readonly iterator: AsyncIterator<readonly T[]>,
    private readonly keyOf: (item: T) => string,
    private readonly side: string,
    private readonly unique: boolean,
  ) {}

  /** Moves to the next item: at once within the chunk in hand, else a promise of the next chunk's first. */
  advance(): Promise<void> | undefined {
    if (this.#next < this.#chunk.length) {
      this.#moveTo(this.#chunk[this.#next++] as T);
      return undefined;
    }
    return this.#fetch();
  }

  async #fetch(): Promise<void> {
    for (;;) {
      const next = await this.iterator.next();
      if (next.done === true) {
        this.#chunk = [];
        this.#next = 0;
        this.current = undefined;
        this.key = undefined;
        return;
      }
      if (next.value.length > 0) {
        this.#chunk = next.value;
        this.#next = 1;
        this.#moveTo(next.value[0] as T);
        return;
      }
    }
  }

  #moveTo(item: T): void {
    const key = this.keyOf(item);
    if (this.key !== undefined && (key < this.key || (this.unique && key === this.key))) {
      throw new MergeJoinError(
        `the ${this.side} side is not sorted${this.unique ? ' by a unique key' : ''}: ${JSON.stringify(key)} after ${JSON.stringify(this.key)}`,
      );
    }
    this.current = item;
    this.key = key;
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}
