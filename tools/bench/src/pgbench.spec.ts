import { parsePgbenchOutput } from './pgbench';

const PGBENCH_16_OUTPUT = `pgbench (16.4 (Ubuntu 16.4-1))
transaction type: <builtin: TPC-B (sort of)>
scaling factor: 8
query mode: simple
number of clients: 8
number of threads: 2
maximum number of tries: 1
duration: 30 s
number of transactions actually processed: 41273
number of failed transactions: 0 (0.000%)
latency average = 5.815 ms
initial connection time = 14.220 ms
tps = 1375.707318 (without initial connection time)
`;

describe('parsePgbenchOutput', () => {
  it('reads tps and the average latency', () => {
    expect(parsePgbenchOutput(PGBENCH_16_OUTPUT)).toEqual({ tps: 1375.707318, latencyAverageMs: 5.815 });
  });

  it('fails loudly when the summary is missing', () => {
    expect(() => parsePgbenchOutput('connection to server failed')).toThrow(/no tps/);
  });
});
