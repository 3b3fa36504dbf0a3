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
});
