/**
 * Calendar days and wall-clock times in a PSP's time zone, on the time-zone data Node ships with
 * (Intl): no date library. A zone's offset changes only on whole hours here, so it is worked out
 * once per hour of UTC and reused, which keeps formatting a million event times cheap.
 */

/** A calendar day, `YYYY-MM-DD`. */
export type CalendarDate = string;

const CALENDAR_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

/** The wall clock of one instant in one zone. */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const match = CALENDAR_DATE_PATTERN.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `YYYYMMDD` as a calendar date, or undefined when it is not one. */
export function calendarDateOfCompact(value: unknown): CalendarDate | undefined {
  if (typeof value !== 'string' || !/^\d{8}$/.test(value)) return undefined;
  const date = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  return isCalendarDate(date) ? date : undefined;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return new Date(utcMidnightOf(date) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** One time zone's clock: IANA name, e.g. `Europe/Berlin`. */
export class ZoneClock {
  private readonly parts: Intl.DateTimeFormat;
  private cachedHour = Number.NaN;
  private cachedOffsetMs = 0;

  constructor(readonly timeZone: string) {
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Local time minus UTC at `epochMs`, e.g. +3,600,000 for Berlin in winter. */
  offsetMs(epochMs: number): number {
    const hour = Math.floor(epochMs / MS_PER_HOUR);
    if (hour !== this.cachedHour) {
      this.cachedOffsetMs = this.computeOffsetMs(hour * MS_PER_HOUR);
      this.cachedHour = hour;
    }
    return this.cachedOffsetMs;
  }

  wallClock(epochMs: number): WallClock {
    const local = new Date(epochMs + this.offsetMs(epochMs));
    return {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      second: local.getUTCSeconds(),
      millisecond: local.getUTCMilliseconds(),
    };
  }

  dateOf(epochMs: number): CalendarDate {
    return new Date(epochMs + this.offsetMs(epochMs)).toISOString().slice(0, 10);
  }

  /**
   * The instant the day begins: its local midnight, or, where a time change skips midnight, the
   * first whole hour that belongs to the day. Two rounds settle the offset around midnight.
   */
  startOf(date: CalendarDate): number {
    const wallMidnight = utcMidnightOf(date);
    let startMs = wallMidnight - this.offsetMs(wallMidnight);
    startMs = wallMidnight - this.offsetMs(startMs);
    while (this.dateOf(startMs) < date) startMs = (Math.floor(startMs / MS_PER_HOUR) + 1) * MS_PER_HOUR;
    return startMs;
  }

  /** The day's instants: [start, end). */
  boundsOf(date: CalendarDate): { readonly startMs: number; readonly endMs: number } {
    return { startMs: this.startOf(date), endMs: this.startOf(addDays(date, 1)) };
  }

  /** `epochMs` is a whole hour, so the formatted seconds lose nothing. */
  private computeOffsetMs(epochMs: number): number {
    const fields: Record<string, number> = {};
    for (const part of this.parts.formatToParts(new Date(epochMs))) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(
      fields['year'] ?? 0,
      (fields['month'] ?? 1) - 1,
      fields['day'] ?? 1,
      fields['hour'] ?? 0,
      fields['minute'] ?? 0,
      fields['second'] ?? 0,
    );
    return asUtc - epochMs;
  }
}

export function zeroPadded(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function utcMidnightOf(date: CalendarDate): number {
  const match = CALENDAR_DATE_PATTERN.exec(date);
  if (match === null || !isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}
