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

/** An async stream of items that records how far it was read and whether it was closed. */
function streamOf<T>(items: readonly T[]): AsyncIterable<T> & { read: number; closed: boolean } {
  const stream = {
    read: 0,
    closed: false,
    async *[Symbol.asyncIterator](): AsyncGenerator<T> {
      try {
        for (const item of items) {
          stream.read += 1;
          yield item;
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
): Promise<unknown[]> {
  const groups: unknown[] = [];
  for await (const group of mergeJoin(streamOf(keel), streamOf(settlement), joinOptions)) {
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
    const failing: AsyncIterable<Row> = {
      async *[Symbol.asyncIterator](): AsyncGenerator<Row> {
        yield* rows('a');
        throw new Error('canceling statement due to statement timeout');
      },
    };
    const closedAfterTheFailure: AsyncIterable<Order> = {
      async *[Symbol.asyncIterator](): AsyncGenerator<Order> {
        try {
          yield* orders('a', 'b');
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
