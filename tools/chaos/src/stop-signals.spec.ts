import { EventEmitter } from 'node:events';
import { abortOnStopSignals, exitCodeOf, stopSignalOf, type SignalSource } from './stop-signals';

describe('abortOnStopSignals', () => {
  it('aborts at the first SIGINT or SIGTERM, with its name, and only logs a second one', () => {
    for (const [first, second] of [
      ['SIGINT', 'SIGTERM'],
      ['SIGTERM', 'SIGINT'],
    ] as const) {
      const source = new EventEmitter();
      const lines: string[] = [];
      const signal = abortOnStopSignals(source as SignalSource, (line) => lines.push(line));
      expect(signal.aborted).toBe(false);
      expect(stopSignalOf(signal)).toBeUndefined();

      source.emit(first, first);
      source.emit(second, second);

      expect(signal.aborted).toBe(true);
      expect(stopSignalOf(signal)).toBe(first);
      expect(lines).toEqual([
        `chaos: ${first}: stopping the environment`,
        `chaos: ${second} again: still stopping the environment`,
      ]);
    }
  });

  it('leaves a signal aborted for another reason without a stop signal', () => {
    const controller = new AbortController();
    controller.abort(new Error('other'));
    expect(stopSignalOf(controller.signal)).toBeUndefined();
  });
});

describe('exitCodeOf', () => {
  it('is 128 + the signal number, as a shell reports it', () => {
    expect(exitCodeOf('SIGINT')).toBe(130);
    expect(exitCodeOf('SIGTERM')).toBe(143);
  });
});
