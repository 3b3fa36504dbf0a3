import { parseProducerPerfOutput } from './producer-perf';

const OUTPUT = `112321 records sent, 22459.7 records/sec (21.93 MB/sec), 812.4 ms avg latency, 1290.0 ms max latency.
200000 records sent, 24449.877751 records/sec (23.88 MB/sec), 1033.58 ms avg latency, 1431.00 ms max latency, 1076 ms 50th, 1397 ms 95th, 1424 ms 99th, 1430 ms 99.9th.
`;

describe('parseProducerPerfOutput', () => {
  it('reads the final summary, not the progress lines', () => {
    expect(parseProducerPerfOutput(OUTPUT)).toEqual({
      records: 200_000,
      recordsPerS: 24449.877751,
      mbPerS: 23.88,
      latencyAverageMs: 1033.58,
      latencyP99Ms: 1424,
    });
  });

  it('fails loudly without a summary', () => {
    expect(() => parseProducerPerfOutput('ERROR Topic not present')).toThrow(/no summary/);
  });
});
