import { mergeReports, newestPerMethod, type MethodReport } from './method-availability';

function report(methodType: string, available: boolean, changedAtMs: number): MethodReport {
  return { methodType, available, retryAfterSeconds: available ? undefined : 7, changedAtMs };
}

describe('newestPerMethod', () => {
  it('keeps the report changed last per method, sorted by method', () => {
    const reports = [
      report('card', false, 20),
      report('bank_transfer', false, 10),
      report('card', true, 30),
      report('bank_transfer', true, 5),
    ];
    expect(newestPerMethod(reports)).toEqual([report('bank_transfer', false, 10), report('card', true, 30)]);
  });
});

describe('mergeReports', () => {
  it('takes newer reports and ignores older ones', () => {
    const known = new Map([['card', report('card', false, 20)]]);
    mergeReports(known, [report('card', true, 10), report('easy_pay', false, 1)]);
    expect(known.get('card')).toEqual(report('card', false, 20));
    expect(known.get('easy_pay')).toEqual(report('easy_pay', false, 1));
    mergeReports(known, [report('card', true, 20)]);
    expect(known.get('card')?.available).toBe(true);
  });
});
