import { shedCountsByReason } from './payment-sheds';

describe('shedCountsByReason', () => {
  it('reads the shed counter by reason and nothing else', () => {
    const exposition = [
      '# HELP keel_http_shed_total Create requests refused by load shedding.',
      '# TYPE keel_http_shed_total counter',
      'keel_http_shed_total{reason="concurrency",service="payment"} 3',
      'keel_http_shed_total{reason="charge_backlog",service="payment"} 0',
      'keel_http_shed_total_other{reason="concurrency"} 9',
      'keel_http_requests_total{route="/v1/payments"} 120',
    ].join('\n');
    expect(shedCountsByReason(exposition)).toEqual({ concurrency: 3, charge_backlog: 0 });
  });

  it('is empty when payment has shed nothing yet (no sample)', () => {
    expect(shedCountsByReason('# TYPE keel_http_shed_total counter\n')).toEqual({});
  });
});
