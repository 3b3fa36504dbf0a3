import { parseMachineBusyTicks, sharedGroupOf } from './machine-cpu';

const cmdline = (...words: string[]) => `${words.join('\0')}\0`;
const ours = new Set(['keel_t_bench_payment_1a2b3c4d']);

describe('sharedGroupOf', () => {
  it("counts PostgreSQL's background workers and the backends of the bench's databases", () => {
    expect(sharedGroupOf(cmdline('postgres: 15/main: walwriter '), ours)).toBe('postgresql');
    expect(sharedGroupOf(cmdline('postgres: checkpointer '), ours)).toBe('postgresql');
    expect(
      sharedGroupOf(
        cmdline('postgres: 15/main: keel_payment keel_t_bench_payment_1a2b3c4d 127.0.0.1(51234) idle'),
        ours,
      ),
    ).toBe('postgresql');
  });

  it("leaves out other work's backends and every other process", () => {
    expect(
      sharedGroupOf(cmdline('postgres: 15/main: postgres keel_t_other_9f 127.0.0.1(40000) idle'), ours),
    ).toBe(undefined);
    expect(sharedGroupOf(cmdline('node', 'apps/payment/src/main.ts'), ours)).toBe(undefined);
  });

  it('finds the Kafka broker by its main class', () => {
    expect(
      sharedGroupOf(
        cmdline('/usr/bin/java', '-Xmx1g', '-cp', 'a.jar', 'kafka.Kafka', 'server.properties'),
        ours,
      ),
    ).toBe('kafka broker');
  });
});

describe('parseMachineBusyTicks', () => {
  it('adds user, nice, system, irq, softirq and steal, not idle or iowait', () => {
    expect(parseMachineBusyTicks('cpu  100 2 30 5000 40 1 3 4 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n')).toBe(140);
  });
});
