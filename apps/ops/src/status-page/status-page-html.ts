import { createHash } from 'node:crypto';
import type { IncidentStage, IncidentView, MethodView, ServiceStatus, StatusPage } from './status-page';

/** The page's only styling: inline, so the page is one request and works without anything else. */
const STYLE = `
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem}
h1{font-size:1.6rem;margin:0 0 1rem}h2{font-size:1.2rem;margin:2rem 0 .5rem}h3{font-size:1rem;margin:0}
ul{list-style:none;margin:0;padding:0}
.summary{padding:.75rem 1rem;border-radius:.4rem;font-weight:600;color:#fff}
.methods>li{background:#fff;border:1px solid #d0d7de;border-radius:.4rem;margin:.5rem 0;padding:.6rem 1rem}
.method{display:flex;justify-content:space-between;gap:1rem}
.providers li{display:flex;justify-content:space-between;gap:1rem;border-top:1px solid #eaeef2;margin-top:.4rem;padding-top:.4rem}
.notice{margin:.25rem 0 0;color:#57606a}
.status{font-weight:600}
.operational{color:#1a7f37}.degraded{color:#9a6700}.unavailable{color:#cf222e}
.summary.operational{background:#1a7f37;color:#fff}.summary.degraded{background:#9a6700;color:#fff}
.summary.unavailable{background:#cf222e;color:#fff}
article{background:#fff;border:1px solid #d0d7de;border-radius:.4rem;margin:.5rem 0;padding:.6rem 1rem}
.meta{color:#57606a;font-size:.9rem;margin:.2rem 0}
.updates li{margin:.3rem 0}.updates time{color:#57606a;font-size:.9rem;margin-right:.5rem}
footer{margin-top:2rem;color:#57606a;font-size:.9rem}
`;

/**
 * The Content-Security-Policy of the page: nothing may load or run, and the one inline stylesheet
 * is allowed by its hash (no 'unsafe-inline'), so injected markup could neither script nor style.
 */
export const STATUS_PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text and attribute values as HTML: every character that could open markup or end an attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

const STATUS_WORDS: Readonly<Record<ServiceStatus, string>> = {
  operational: 'Operational',
  degraded: 'Degraded',
  unavailable: 'Unavailable',
};

const STAGE_WORDS: Readonly<Record<IncidentStage, string>> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

/** A time as every reader sees the same: UTC to the minute, with its ISO form for machines. */
function timeOf(iso: string): string {
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(text)}</time>`;
}

function noticeOf(notice: string | undefined): string {
  return notice === undefined ? '' : `<p class="notice">${escapeHtml(notice)}</p>`;
}

function methodHtml(method: MethodView): string {
  const providers = method.providers
    .map(
      (provider) =>
        `<li data-provider="${escapeHtml(provider.provider)}" data-status="${provider.status}">` +
        `<div><span class="name">${escapeHtml(provider.name)}</span>${noticeOf(provider.notice)}</div>` +
        `<span class="status ${provider.status}">${STATUS_WORDS[provider.status]}</span></li>`,
    )
    .join('');
  return (
    `<li data-method="${escapeHtml(method.type)}" data-status="${method.status}">` +
    `<div class="method"><div><span class="name">${escapeHtml(method.name)}</span>${noticeOf(method.notice)}</div>` +
    `<span class="status ${method.status}">${STATUS_WORDS[method.status]}</span></div>` +
    (providers === '' ? '' : `<ul class="providers">${providers}</ul>`) +
    '</li>'
  );
}

function incidentHtml(incident: IncidentView): string {
  const over = incident.resolvedAt === undefined ? '' : `, resolved ${timeOf(incident.resolvedAt)}`;
  const updates = incident.updates
    .map((update) => `<li>${timeOf(update.at)}${escapeHtml(update.text)}</li>`)
    .join('');
  return (
    `<article data-incident="${escapeHtml(incident.id)}" data-stage="${incident.stage}">` +
    `<h3>${escapeHtml(incident.title)}</h3>` +
    `<p class="meta"><span class="stage">${STAGE_WORDS[incident.stage]}</span> · since ${timeOf(incident.startedAt)}${over}</p>` +
    (updates === '' ? '' : `<ul class="updates">${updates}</ul>`) +
    '</article>'
  );
}

function incidentsHtml(incidents: readonly IncidentView[], none: string): string {
  return incidents.length === 0 ? `<p>${none}</p>` : incidents.map(incidentHtml).join('');
}

/** The page as HTML: readable without JavaScript or any other request; every datum escaped. */
export function statusPageHtml(page: StatusPage): string {
  const days = `${page.history.days} day${page.history.days === 1 ? '' : 's'}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Payment status</title><style>${STYLE}</style></head><body><main>`,
    '<h1>Payment status</h1>',
    `<p class="summary ${page.status}" data-status="${page.status}">${escapeHtml(page.summary)}</p>`,
    '<section id="methods"><h2>Payment methods</h2>',
    `<ul class="methods">${page.methods.map(methodHtml).join('')}</ul></section>`,
    '<section id="incidents"><h2>Current incidents</h2>',
    incidentsHtml(page.incidents, 'No current incidents.'),
    '</section>',
    `<section id="history"><h2>Past incidents (last ${days})</h2>`,
    incidentsHtml(page.history.incidents, `No incidents in the last ${days}.`),
    '</section>',
    `<footer>Updated ${timeOf(page.generatedAt)}. The same as JSON: <a href="status.json">status.json</a>.</footer>`,
    '</main></body></html>',
  ].join('\n');
}
