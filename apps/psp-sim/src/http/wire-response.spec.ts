import { chunksOf } from './wire-response';

describe('chunksOf', () => {
  it('joins lines into chunks of at least the size asked for, the last one shorter', () => {
    expect([...chunksOf(['ab\n', 'cd\n', 'ef\n', 'g\n'], 5)]).toEqual(['ab\ncd\n', 'ef\ng\n']);
    expect([...chunksOf(['abcdefgh\n'], 5)]).toEqual(['abcdefgh\n']);
    expect([...chunksOf([], 5)]).toEqual([]);
  });

  it('reads lines only as chunks are asked for', () => {
    let read = 0;
    function* lines(): Generator<string> {
      for (;;) {
        read += 1;
        yield 'line\n';
      }
    }
    const chunks = chunksOf(lines(), 10);
    expect(chunks.next().value).toBe('line\nline\n');
    expect(read).toBe(2);
  });
});
