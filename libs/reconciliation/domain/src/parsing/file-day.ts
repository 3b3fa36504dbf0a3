import { SettlementFileError, SettlementFileProblem } from '../settlement-file.error';
import { dayBefore, isDay } from './calendar-day';

/** The day a file is read for, and the rule every row's day must keep. */
export class FileDay {
  readonly previous: string;

  constructor(readonly day: string) {
    if (!isDay(day))
      throw new RangeError(`settlement date "${day}" is not a calendar day written YYYY-MM-DD`);
    this.previous = dayBefore(day);
  }

  /**
   * Whether a row whose event happened on `eventDay` (in the PSP's zone) is late: the file's day is
   * on time, the day before is a late row, any other day is an error. `dateColumn`, where the
   * dialect writes a day on each row, must be the file's day — a late row's too.
   */
  isLate(eventDay: string, lineNumber: number, dateColumn?: string): boolean {
    if (dateColumn !== undefined && dateColumn !== this.day) {
      throw new SettlementFileError(
        SettlementFileProblem.RowNotOfFileDay,
        lineNumber,
        `the row's settlement date ${dateColumn} is not the file's day ${this.day}`,
      );
    }
    if (eventDay !== this.day && eventDay !== this.previous) {
      throw new SettlementFileError(
        SettlementFileProblem.RowNotOfFileDay,
        lineNumber,
        `the event's day ${eventDay} is neither the file's day ${this.day} nor the day before`,
      );
    }
    return eventDay === this.previous;
  }
}
