import { isValidTraceparent } from './traceparent.util';

describe('isValidTraceparent', () => {
  it('accepts a W3C traceparent', () => {
    expect(isValidTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(true);
  });

  it.each([
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['upper-case hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01'],
    ['a short trace id', '00-4bf92f35-00f067aa0ba902b7-01'],
    ['no value', undefined],
  ])('rejects %s', (_name, value) => {
    expect(isValidTraceparent(value)).toBe(false);
  });
});
