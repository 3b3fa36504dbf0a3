import { isCalendarDay } from './calendar-day';

/** A wall-clock time in some time zone, as a settlement file writes it (no offset). */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const MS_PER_HOUR = 3_600_000;
// A day's file names at most 1,440 local minutes (1,500 on a fall-back day).
const OFFSET_CACHE_ENTRIES_MAX = 4_096;

const formatters = new Map<string, Intl.DateTimeFormat>();
// Keyed by zone and local minute; undefined marks a minute the zone skips.
const minuteStartInstants = new Map<string, number | undefined>();

export function isValidLocalDateTime(local: LocalDateTime): boolean {
  const { year, month, day, hour, minute, second } = local;
  if (hour > 23 || minute > 59 || second > 59) return false;
  return isCalendarDay(year, month, day);
}

/**
 * The UTC instant (epoch ms) of a valid wall-clock time in an IANA zone, DST-correct: undefined for
 * a time the zone skips (the hour clocks spring over), and the earlier of the two instants for a
 * time it repeats (the hour clocks fall back) — the settlement dialects write no offset to tell.
 */
export function utcInstantOf(local: LocalDateTime, timeZone: string): number | undefined {
  const minute = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const key = `${timeZone} ${minute}`;
  if (!minuteStartInstants.has(key)) {
    if (minuteStartInstants.size >= OFFSET_CACHE_ENTRIES_MAX) minuteStartInstants.clear();
    minuteStartInstants.set(key, minuteStartInstant(minute, timeZone));
  }
  const minuteStart = minuteStartInstants.get(key);
  return minuteStart === undefined ? undefined : minuteStart + local.second * 1000;
}

/** Tries the zone's offsets a day either side (transitions are further apart than that). */
function minuteStartInstant(localAsUtc: number, timeZone: string): number | undefined {
  const candidates = [localAsUtc - 24 * MS_PER_HOUR, localAsUtc + 24 * MS_PER_HOUR]
    .map((nearby) => localAsUtc - (wallClockOf(nearby, timeZone) - nearby))
    .filter((instant) => wallClockOf(instant, timeZone) === localAsUtc);
  return candidates.length === 0 ? undefined : Math.min(...candidates);
}

/** The wall clock of an instant in a zone to the minute, written as if it were a UTC instant. */
function wallClockOf(instant: number, timeZone: string): number {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = Number(part.value);
  return Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day, parts.hour, parts.minute);
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
