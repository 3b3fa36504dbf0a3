import { createHash } from 'node:crypto';
import type { StatusPage } from './status-page';
import { escapeHtml, STATUS_PAGE_CONTENT_SECURITY_POLICY, statusPageHtml } from './status-page-html';

const HOSTILE = `<script>alert("x")</script> & 'quoted'`;

const page: StatusPage = {
  generatedAt: '2026-01-05T10:30:00.000Z',
  status: 'degraded',
  summary: 'Some payment methods have problems.',
  methods: [
    {
      type: 'card',
      name: 'Card',
      status: 'degraded',
      providers: [{ provider: 'shinhan', name: 'Shinhan', status: 'unavailable', notice: HOSTILE }],
    },
    { type: 'bank_transfer', name: 'Bank transfer', status: 'unavailable', notice: 'Paused', providers: [] },
  ],
  incidents: [
    {
      id: 'current-1',
      title: 'Errors with Shinhan card payments',
      stage: 'identified',
      methods: ['card'],
      startedAt: '2026-01-05T10:00:00.000Z',
      updates: [{ at: '2026-01-05T10:01:00.000Z', text: 'We are investigating the problem.' }],
    },
  ],
  history: {
    days: 30,
    incidents: [
      {
        id: 'past-1',
        title: 'Errors with some card payments',
        stage: 'resolved',
        methods: ['card'],
        startedAt: '2026-01-02T08:00:00.000Z',
        resolvedAt: '2026-01-02T09:15:00.000Z',
        updates: [],
      },
    ],
  },
};

describe('statusPageHtml', () => {
  const html = statusPageHtml(page);

  it('escapes every datum: a notice with markup shows as text and opens no element', () => {
    expect(escapeHtml(HOSTILE)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;',
    );
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(html).not.toContain('<script');
  });

  it('renders each method and switched-off provider with its status and notice', () => {
    expect(html).toContain('<li data-method="card" data-status="degraded">');
    expect(html).toContain('<span class="status degraded">Degraded</span>');
    expect(html).toContain('<li data-provider="shinhan" data-status="unavailable">');
    expect(html).toContain('<li data-method="bank_transfer" data-status="unavailable">');
    expect(html).toContain('<p class="notice">Paused</p>');
    expect(html).toContain(
      '<p class="summary degraded" data-status="degraded">Some payment methods have problems.</p>',
    );
  });

  it('renders current incidents with their stage and updates, and the history with when each ended', () => {
    expect(html).toContain('<article data-incident="current-1" data-stage="identified">');
    expect(html).toContain(
      '<li><time datetime="2026-01-05T10:01:00.000Z">2026-01-05 10:01 UTC</time>We are investigating the problem.</li>',
    );
    expect(html).toContain('<h2>Past incidents (last 30 days)</h2>');
    expect(html).toContain('resolved <time datetime="2026-01-02T09:15:00.000Z">2026-01-02 09:15 UTC</time>');
  });

  it('says so when there is no incident', () => {
    const quiet = statusPageHtml({ ...page, incidents: [], history: { days: 1, incidents: [] } });
    expect(quiet).toContain('<p>No current incidents.</p>');
    expect(quiet).toContain('<p>No incidents in the last 1 day.</p>');
  });

  it('allows its one inline stylesheet by hash and nothing else', () => {
    const style = /<style>([\s\S]*)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(STATUS_PAGE_CONTENT_SECURITY_POLICY).toContain(`style-src 'sha256-${hash}'`);
    expect(STATUS_PAGE_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(STATUS_PAGE_CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });
});
