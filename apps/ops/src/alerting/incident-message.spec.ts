import { incidentMessage } from './incident-message';
import type { IncidentSummary } from './incident-summary';

const pspDown: IncidentSummary = {
  incidentId: 'inc_01J9ZQ',
  title: 'PSP acme failing',
  severity: 'critical',
  stage: 'opened',
  scope: 'PSP acme, every method',
  affected: ['acme'],
  working: ['nova', 'swiftpay'],
  rule: { id: 'psp-trouble', kind: 'trouble_rate' },
  observed: 0.6234,
  threshold: 0.3,
  unit: 'share',
  startedAt: new Date('2025-11-20T09:14:03.400Z'),
  detectedAt: new Date('2025-11-20T09:14:21.900Z'),
  link: 'https://ops.keel.example/incidents/inc_01J9ZQ',
};

describe('incidentMessage', () => {
  it('tells an incident in the fixed template, line by line', () => {
    expect(incidentMessage(pspDown).text.split('\n')).toEqual([
      ':red_circle: *Incident opened [CRITICAL]: PSP acme failing*',
      '*Scope:* PSP acme, every method',
      '*Affected:* acme',
      '*Still working:* nova, swiftpay',
      '*Rule:* psp-trouble (trouble_rate): observed 62.3 % against a threshold of 30.0 %',
      '*Started:* 2025-11-20 09:14:03 UTC',
      '*Detected:* 2025-11-20 09:14:21 UTC (+19 s)',
      '*Mitigated:* not yet',
      '*Incident:* <https://ops.keel.example/incidents/inc_01J9ZQ|inc_01J9ZQ>',
    ]);
  });

  it('gives the time to mitigate after detection, in minutes past 90 s', () => {
    const text = incidentMessage({
      ...pspDown,
      stage: 'mitigated',
      mitigatedAt: new Date('2025-11-20T09:16:40.000Z'),
    }).text;
    expect(text).toContain('*Incident mitigated [CRITICAL]: PSP acme failing*');
    expect(text).toContain('*Mitigated:* 2025-11-20 09:16:40 UTC (+2 min after detection)');
  });

  it('writes latencies in ms and counts as whole numbers, with thousands separated', () => {
    const slow = incidentMessage({ ...pspDown, unit: 'milliseconds', observed: 5_230.6, threshold: 5_000 });
    expect(slow.text).toContain('observed 5,231 ms against a threshold of 5,000 ms');
    const unknown = incidentMessage({ ...pspDown, unit: 'count', observed: 31, threshold: 20 });
    expect(unknown.text).toContain('observed 31 against a threshold of 20');
  });

  it('escapes what Slack reads as markup, so a PSP text cannot link or mention', () => {
    const text = incidentMessage({
      ...pspDown,
      severity: 'warning',
      title: 'acme says <!channel> & <https://evil.example|click>',
      affected: ['card/<shinhan>'],
      working: [],
      link: 'https://ops.keel.example/x?a=1|b>c',
    }).text;
    expect(text).toContain(
      ':large_orange_circle: *Incident opened [WARNING]: acme says &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;*',
    );
    expect(text).toContain('*Affected:* card/&lt;shinhan&gt;');
    expect(text).toContain('*Still working:* —');
    expect(text).toContain('<https://ops.keel.example/x?a=1%7Cb%3Ec|inc_01J9ZQ>');
  });

  it('names the incident without a link when it has none', () => {
    const { link: _link, ...unlinked } = pspDown;
    expect(incidentMessage(unlinked).text.split('\n').at(-1)).toBe('*Incident:* inc_01J9ZQ');
  });
});
