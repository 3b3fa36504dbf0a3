import { isRfc3339Timestamp } from './timestamp.util';

describe('isRfc3339Timestamp', () => {
  it.each([
    '2025-01-01T09:00:00Z',
    '2025-01-01T09:00:00.123Z',
    '2025-01-01T09:00:00.123456789+09:00',
    '2024-02-29T23:59:59-05:30',
    '2025-01-01t09:00:00z',
    new Date(0).toISOString(),
  ])('accepts %s', (value) => {
    expect(isRfc3339Timestamp(value)).toBe(true);
  });

  it.each([
    '2025-02-29T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-00-10T00:00:00Z',
    '2025-01-01T24:00:00Z',
    '2025-01-01T09:00:00',
    '2025-01-01 09:00:00Z',
    '2025-01-01',
    '',
    1735722000000,
    null,
  ])('rejects %p', (value) => {
    expect(isRfc3339Timestamp(value)).toBe(false);
  });
});
