import { DEFAULT_MAX_ROWS_PER_KEY, mergeJoin, MergeJoinError, MergeJoinOptions } from './merge-join';

interface Order {
  id: string;
}
interface Row {
  ref: string;
  line: number;
}

const options: MergeJoinOptions<Order, Row> = {
  keelKey: (order) => order.id,
  rowKey: (row) => row.ref,
  maxRowsPerKey: DEFAULT_MAX_ROWS_PER_KEY,
};

/**
 * An async stream of items in chunks of `chunkItems` (one each unless told) that records how many
 * items it handed out and whether it was closed.
 */
function streamOf<T>(
  items: readonly T[],
  chunkItems = 1,
): AsyncIterable<readonly T[]> & { read: number; closed: boolean } {
  const stream = {
    read: 0,
    closed: false,
    async *[Symbol.asyncIterator](): AsyncGenerator<readonly T[]> {
      try {
        for (let start = 0; start < items.length; start += chunkItems) {
          const chunk = items.slice(start, start + chunkItems);
          stream.read += chunk.length;
          yield chunk;
        }
      } finally {
        stream.closed = true;
      }
    },
  };
  return stream;
}

const orders = (...ids: string[]): Order[] => ids.map((id) => ({ id }));
const rows = (...refs: string[]): Row[] => refs.map((ref, index) => ({ ref, line: index + 2 }));

async function joined(
  keel: readonly Order[],
  settlement: readonly Row[],
  joinOptions = options,
  chunkItems = 1,
): Promise<unknown[]> {
  const groups: unknown[] = [];
  for await (const group of mergeJoin(
    streamOf(keel, chunkItems),
    streamOf(settlement, chunkItems),
    joinOptions,
  )) {
    groups.push({ key: group.key, keel: group.keel?.id, lines: group.rows.map((row) => row.line) });
  }
  return groups;
}

describe('mergeJoin', () => {
  it('pairs each key once, in order, with Keel on one side and every row of the key on the other', async () => {
    expect(await joined(orders('a', 'b', 'd'), rows('a', 'b', 'b', 'c', 'e'))).toEqual([
      { key: 'a', keel: 'a', lines: [2] },
      { key: 'b', keel: 'b', lines: [3, 4] },
      { key: 'c', keel: undefined, lines: [5] },
      { key: 'd', keel: 'd', lines: [] },
      { key: 'e', keel: undefined, lines: [6] },
    ]);
  });

  it('yields nothing for two empty sides', async () => {
    expect(await joined([], [])).toEqual([]);
  });

  it('yields Keel alone when the file is empty, and rows alone when Keel is', async () => {
    expect(await joined(orders('a', 'b'), [])).toEqual([
      { key: 'a', keel: 'a', lines: [] },
      { key: 'b', keel: 'b', lines: [] },
    ]);
    expect(await joined([], rows('a', 'a', 'b'))).toEqual([
      { key: 'a', keel: undefined, lines: [2, 3] },
      { key: 'b', keel: undefined, lines: [4] },
    ]);
  });

  it('orders keys by code unit, as PostgreSQL orders them COLLATE "C"', async () => {
    expect(await joined(orders('B', 'a'), rows('B', 'a'))).toEqual([
      { key: 'B', keel: 'B', lines: [2] },
      { key: 'a', keel: 'a', lines: [3] },
    ]);
  });

  it('pairs a key whose rows span chunks, and skips an empty chunk', async () => {
    const keel = streamOf(orders('a', 'b', 'c', 'd'), 3);
    const settlement = {
      async *[Symbol.asyncIterator](): AsyncGenerator<readonly Row[]> {
        const all = rows('a', 'b', 'b', 'b', 'd', 'e');
        yield all.slice(0, 2);
        yield [];
        yield all.slice(2, 3);
        yield all.slice(3);
      },
    };
    const groups: unknown[] = [];
    for await (const group of mergeJoin(keel, settlement, options)) {
      groups.push({ key: group.key, keel: group.keel?.id, lines: group.rows.map((row) => row.line) });
    }

    expect(groups).toEqual([
      { key: 'a', keel: 'a', lines: [2] },
      { key: 'b', keel: 'b', lines: [3, 4, 5] },
      { key: 'c', keel: 'c', lines: [] },
      { key: 'd', keel: 'd', lines: [6] },
      { key: 'e', keel: undefined, lines: [7] },
    ]);
  });

  it('fails on a chunk out of order with the chunk before it', async () => {
    await expect(joined([], rows('a', 'c', 'b', 'd'), options, 2)).rejects.toThrow(
      new MergeJoinError('the settlement side is not sorted: "b" after "c"'),
    );
  });

  it('reads both sides only as far as the groups it yielded need', async () => {
    const keel = streamOf(orders('a', 'b', 'c', 'd'));
    const settlement = streamOf(rows('a', 'b', 'c', 'd'));
    const groups = mergeJoin(keel, settlement, options);

    await groups.next();

    expect({ keel: keel.read, settlement: settlement.read }).toEqual({ keel: 2, settlement: 2 });
    await groups.return(undefined);
    expect({ keel: keel.closed, settlement: settlement.closed }).toEqual({ keel: true, settlement: true });
  });

  it.each([
    [
      "Keel's side out of order",
      orders('b', 'a'),
      rows(),
      'the Keel side is not sorted by a unique key: "a" after "b"',
    ],
    [
      "a key twice on Keel's side",
      orders('a', 'a'),
      rows(),
      'the Keel side is not sorted by a unique key: "a" after "a"',
    ],
    [
      'the rows out of order',
      orders(),
      rows('a', 'c', 'b'),
      'the settlement side is not sorted: "b" after "c"',
    ],
  ])('fails on %s', async (_case, keel, settlement, message) => {
    await expect(joined(keel, settlement)).rejects.toThrow(new MergeJoinError(message));
  });

  it("fails with a side's own error, not the other side's failure to close after it", async () => {
    const failing: AsyncIterable<readonly Row[]> = {
      async *[Symbol.asyncIterator](): AsyncGenerator<readonly Row[]> {
        yield rows('a');
        throw new Error('canceling statement due to statement timeout');
      },
    };
    const closedAfterTheFailure: AsyncIterable<readonly Order[]> = {
      async *[Symbol.asyncIterator](): AsyncGenerator<readonly Order[]> {
        try {
          yield orders('a');
          yield orders('b');
        } finally {
          // eslint-disable-next-line no-unsafe-finally -- a cursor's CLOSE in the aborted transaction
          throw new Error('current transaction is aborted, commands ignored until end of transaction block');
        }
      },
    };

    const reading = async (): Promise<void> => {
      for await (const group of mergeJoin(closedAfterTheFailure, failing, options))
        expect(group).toBeDefined();
    };

    await expect(reading()).rejects.toThrow('canceling statement due to statement timeout');
  });

  it('fails on more rows under one key than the limit', async () => {
    await expect(joined([], rows('a', 'a', 'a'), { ...options, maxRowsPerKey: 2 })).rejects.toThrow(
      'more than 2 settlement rows under the key "a"',
    );
  });
});
