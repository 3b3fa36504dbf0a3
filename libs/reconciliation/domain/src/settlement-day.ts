import { dayBefore, isDay } from './parsing/calendar-day';

/** The calendar day `instant` falls on in `timeZone`, `YYYY-MM-DD` (en-CA writes ISO dates). */
export function dayIn(timeZone: string, instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(instant);
}

/** Whether a settlement file may be asked for, for `date` in a PSP's zone at `now`. */
export type SettlementDayVerdict =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: 'not_a_day' }
  | { readonly valid: false; readonly reason: 'in_future'; readonly today: string };

/**
 * A settlement date is a real calendar day that has begun in the PSP's zone: today's file is the
 * day so far, a later day's does not exist (docs/settlement-files.md).
 */
export function settlementDayVerdict(date: string, timeZone: string, now: Date): SettlementDayVerdict {
  if (!isDay(date)) return { valid: false, reason: 'not_a_day' };
  const today = dayIn(timeZone, now);
  // ISO days compare as text.
  return date > today ? { valid: false, reason: 'in_future', today } : { valid: true };
}

/** The last whole day in the PSP's zone at `now`: the file a daily schedule reads. */
export function lastWholeDayIn(timeZone: string, now: Date): string {
  return dayBefore(dayIn(timeZone, now));
}
