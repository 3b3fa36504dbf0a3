import { metricTotal } from './service-kill.fault';

const EXPOSITION = [
  '# HELP keel_consumer_lag_records Records behind the end of each partition.',
  '# TYPE keel_consumer_lag_records gauge',
  'keel_consumer_lag_records{topic="a",partition="0"} 3',
  'keel_consumer_lag_records{topic="a",partition="1"} 4',
  'keel_outbox_backlog_rows 0',
  'keel_outbox_backlog_rows_total 99',
].join('\n');

describe('metricTotal', () => {
  it('sums every sample of one metric and nothing else', () => {
    expect(metricTotal(EXPOSITION, 'keel_consumer_lag_records')).toBe(7);
    expect(metricTotal(EXPOSITION, 'keel_outbox_backlog_rows')).toBe(0);
    expect(metricTotal(EXPOSITION, 'keel_missing')).toBe(0);
  });
});
