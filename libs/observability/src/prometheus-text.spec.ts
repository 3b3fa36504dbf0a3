import { sumOfMetric } from './prometheus-text';

const EXPOSITION = `# HELP keel_consumer_lag_records Records behind the end of the partition
# TYPE keel_consumer_lag_records gauge
keel_consumer_lag_records{consumer="wallet",topic="t-1.keel.payment-order.v1",partition="0"} 3
keel_consumer_lag_records{consumer="wallet",topic="t-1.keel.payment-order.v1",partition="1"} 4
keel_consumer_lag_records_other 100
# TYPE keel_outbox_backlog_rows gauge
keel_outbox_backlog_rows 12
`;

describe('sumOfMetric', () => {
  it('adds every label set of exactly that metric', () => {
    expect(sumOfMetric(EXPOSITION, 'keel_consumer_lag_records')).toBe(7);
    expect(sumOfMetric(EXPOSITION, 'keel_outbox_backlog_rows')).toBe(12);
  });

  it('is undefined for a metric with no sample', () => {
    expect(sumOfMetric(EXPOSITION, 'keel_inbox_applied_total')).toBeUndefined();
  });

  it('reads the value, not the timestamp after it, past label values with spaces, braces and quotes', () => {
    const exposition = [
      'keel_dlq_records_total{reason="bad } payload \\" here",topic="a b"} 5 1765000000000',
      'keel_dlq_records_total{reason="plain"}\t2',
      '  keel_dlq_records_total 1  ',
    ].join('\n');
    expect(sumOfMetric(exposition, 'keel_dlq_records_total')).toBe(8);
  });

  it('leaves out samples that are not finite numbers and lines it cannot read', () => {
    const exposition = [
      'keel_outbox_backlog_rows{a="1"} NaN',
      'keel_outbox_backlog_rows{a="2"} +Inf',
      'keel_outbox_backlog_rows{a="3"} ',
      'keel_outbox_backlog_rows{a="unterminated} 9',
      'keel_outbox_backlog_rows{a="4"} 6',
    ].join('\n');
    expect(sumOfMetric(exposition, 'keel_outbox_backlog_rows')).toBe(6);
  });
});
