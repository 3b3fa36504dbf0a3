import { isUnknownOutcomeOverdue, type UnknownOutcomeView } from './unknown-outcome-deadline';

const DEADLINE_MS = 600_000;
const SINCE = new Date('2025-01-01T09:00:00.000Z');
const at = (elapsedMs: number): Date => new Date(SINCE.getTime() + elapsedMs);
const unknown: UnknownOutcomeView = { status: 'unknown', unknownSince: SINCE };

describe('isUnknownOutcomeOverdue', () => {
  it('is due once the order has been unknown for the deadline, not before', () => {
    expect(isUnknownOutcomeOverdue(unknown, at(DEADLINE_MS - 1), DEADLINE_MS)).toBe(false);
    expect(isUnknownOutcomeOverdue(unknown, at(DEADLINE_MS), DEADLINE_MS)).toBe(true);
    expect(isUnknownOutcomeOverdue(unknown, at(10 * DEADLINE_MS), DEADLINE_MS)).toBe(true);
  });

  it('is reported only once', () => {
    const reported = { ...unknown, overdueReportedAt: at(DEADLINE_MS) };
    expect(isUnknownOutcomeOverdue(reported, at(2 * DEADLINE_MS), DEADLINE_MS)).toBe(false);
  });

  it('concerns only orders still unknown', () => {
    for (const status of ['created', 'executing', 'succeeded', 'declined', 'failed'] as const) {
      expect(isUnknownOutcomeOverdue({ ...unknown, status }, at(2 * DEADLINE_MS), DEADLINE_MS)).toBe(false);
    }
  });

  it('is never due without a start time', () => {
    expect(isUnknownOutcomeOverdue({ status: 'unknown' }, at(2 * DEADLINE_MS), DEADLINE_MS)).toBe(false);
  });
});
