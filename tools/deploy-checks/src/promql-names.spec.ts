import { selectedNames } from './promql-names';

describe('selectedNames', () => {
  it('reads series from selectors and function arguments, labels from matchers and groupings', () => {
    const names = selectedNames(
      'histogram_quantile(0.99, sum by (psp, le) (rate(keel_executor_psp_call_duration_seconds_bucket{psp!="x", operation=~"charge|refund"}[$__rate_interval]))) / on (psp) group_left up',
    );
    expect([...names.metrics].sort()).toEqual(['keel_executor_psp_call_duration_seconds_bucket', 'up']);
    expect([...names.labels].sort()).toEqual(['le', 'operation', 'psp']);
  });

  it('takes nothing from strings, durations, numbers and operators', () => {
    const names = selectedNames(
      'sum without (instance) (increase(a_total{reason="by (x) foo"}[1h] offset 5m)) > 0.5 and b unless c',
    );
    expect([...names.metrics].sort()).toEqual(['a_total', 'b', 'c']);
    expect([...names.labels].sort()).toEqual(['instance', 'reason']);
  });
});
