import { addDays, calendarDateOfCompact, isCalendarDate, ZoneClock } from './zoned-time';

const iso = (epochMs: number) => new Date(epochMs).toISOString();

describe('ZoneClock', () => {
  const berlin = new ZoneClock('Europe/Berlin');
  const seoul = new ZoneClock('Asia/Seoul');
  const utc = new ZoneClock('UTC');

  it('begins a day at local midnight: UTC, Seoul (+9) and Berlin in winter (+1)', () => {
    expect(iso(utc.startOf('2026-12-07'))).toBe('2026-12-07T00:00:00.000Z');
    expect(iso(seoul.startOf('2026-12-07'))).toBe('2026-12-06T15:00:00.000Z');
    expect(iso(berlin.startOf('2026-12-07'))).toBe('2026-12-06T23:00:00.000Z');
  });

  it('gives Berlin 23 hours on the day summer time begins and 25 on the day it ends', () => {
    const spring = berlin.boundsOf('2026-03-29');
    expect(iso(spring.startMs)).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(spring.endMs)).toBe('2026-03-29T22:00:00.000Z');
    const autumn = berlin.boundsOf('2026-10-25');
    expect(iso(autumn.startMs)).toBe('2026-10-24T22:00:00.000Z');
    expect((autumn.endMs - autumn.startMs) / 3_600_000).toBe(25);
  });

  it('reads the wall clock on both sides of a time change', () => {
    expect(berlin.wallClock(Date.parse('2026-03-29T00:59:59.999Z'))).toEqual({
      year: 2026,
      month: 3,
      day: 29,
      hour: 1,
      minute: 59,
      second: 59,
      millisecond: 999,
    });
    expect(berlin.wallClock(Date.parse('2026-03-29T01:00:00Z'))).toMatchObject({ hour: 3, minute: 0 });
    // The hour from 02:00 to 03:00 summer time is lived twice in October.
    expect(berlin.wallClock(Date.parse('2026-10-25T00:30:00Z'))).toMatchObject({ hour: 2, minute: 30 });
    expect(berlin.wallClock(Date.parse('2026-10-25T01:30:00Z'))).toMatchObject({ hour: 2, minute: 30 });
  });

  it('puts an instant in the day of its zone', () => {
    const instant = Date.parse('2026-12-06T23:30:00Z');
    expect([utc.dateOf(instant), berlin.dateOf(instant), seoul.dateOf(instant)]).toEqual([
      '2026-12-06',
      '2026-12-07',
      '2026-12-07',
    ]);
    expect(seoul.dateOf(Date.parse('2026-12-06T14:59:59.999Z'))).toBe('2026-12-06');
  });

  it('begins a day whose midnight a time change skips at its first hour', () => {
    // Brazil began summer time at midnight on 4 November 2018: 00:00 became 01:00 (-03 → -02).
    expect(iso(new ZoneClock('America/Sao_Paulo').startOf('2018-11-04'))).toBe('2018-11-04T03:00:00.000Z');
  });
});

describe('calendar dates', () => {
  it('knows real days only', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
    expect(isCalendarDate(20261207)).toBe(false);
  });

  it('reads YYYYMMDD', () => {
    expect(calendarDateOfCompact('20261207')).toBe('2026-12-07');
    expect(calendarDateOfCompact('20260230')).toBeUndefined();
    expect(calendarDateOfCompact('2026-12-07')).toBeUndefined();
    expect(calendarDateOfCompact(undefined)).toBeUndefined();
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
