import { backlogOf } from './quiescence';

describe('backlogOf', () => {
  it('sums every sample of the outbox backlog and consumer lag, and nothing else', () => {
    const exposition = [
      '# HELP keel_outbox_backlog_rows Unpublished outbox rows.',
      '# TYPE keel_outbox_backlog_rows gauge',
      'keel_outbox_backlog_rows 3',
      'keel_consumer_lag_records{topic="keel.payment.v1",partition="0"} 2',
      'keel_consumer_lag_records{topic="keel.payment.v1",partition="1"} 0',
      'keel_outbox_backlog_rows_total 100',
      'process_cpu_seconds_total 7.5',
    ].join('\n');
    expect(backlogOf(exposition)).toBe(5);
    expect(backlogOf('keel_consumer_lag_records{topic="t"} 0\n')).toBe(0);
  });
});
