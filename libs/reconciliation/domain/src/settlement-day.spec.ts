import { dayIn, lastWholeDayIn, settlementDayVerdict } from './settlement-day';

describe('settlement days', () => {
  // 2026-12-07 16:30 UTC is 17:30 in Berlin and 01:30 on the 8th in Seoul.
  const now = new Date('2026-12-07T16:30:00.000Z');

  it('read the day an instant falls on in the PSP zone', () => {
    expect(dayIn('UTC', now)).toBe('2026-12-07');
    expect(dayIn('Europe/Berlin', now)).toBe('2026-12-07');
    expect(dayIn('Asia/Seoul', now)).toBe('2026-12-08');
  });

  it('accept today and earlier days, refuse a day not begun in the zone', () => {
    expect(settlementDayVerdict('2026-12-07', 'UTC', now)).toEqual({ valid: true });
    expect(settlementDayVerdict('2026-12-08', 'Asia/Seoul', now)).toEqual({ valid: true });
    expect(settlementDayVerdict('2026-12-08', 'UTC', now)).toEqual({
      valid: false,
      reason: 'in_future',
      today: '2026-12-07',
    });
    expect(settlementDayVerdict('2025-01-01', 'Europe/Berlin', now)).toEqual({ valid: true });
  });

  it.each(['2026-02-30', '2026-13-01', '20261207', '2026-12-7', ''])('refuse %j as no day', (date) => {
    expect(settlementDayVerdict(date, 'UTC', now)).toEqual({ valid: false, reason: 'not_a_day' });
  });

  it('give the last whole day of each zone for the schedule', () => {
    expect(lastWholeDayIn('UTC', now)).toBe('2026-12-06');
    expect(lastWholeDayIn('Asia/Seoul', now)).toBe('2026-12-07');
    expect(lastWholeDayIn('UTC', new Date('2027-01-01T00:10:00.000Z'))).toBe('2026-12-31');
  });
});
