import type { IncidentSeverity, IncidentStage, IncidentSummary, ObservedUnit } from './incident-summary';

/**
 * The body of a Slack-compatible incoming webhook: `text` in Slack's mrkdwn. Text alone is what
 * every compatible receiver (Slack, Mattermost, Rocket.Chat, Discord's /slack endpoint) renders the
 * same way; blocks and attachments are not.
 */
export interface IncidentMessage {
  readonly text: string;
}

const SEVERITY_MARKS: Readonly<Record<IncidentSeverity, string>> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};

const STAGE_WORDS: Readonly<Record<IncidentStage, string>> = {
  opened: 'Incident opened',
  updated: 'Incident updated',
  mitigated: 'Incident mitigated',
  resolved: 'Incident resolved',
};

/** Slack reads `&`, `<` and `>` as markup: a PSP's error text must not become a link or a mention. */
function escaped(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function figure(value: number, unit: ObservedUnit): string {
  switch (unit) {
    case 'share':
      return `${(value * 100).toFixed(1)} %`;
    case 'milliseconds':
      return `${Math.round(value).toLocaleString('en-US')} ms`;
    case 'count':
      return Math.round(value).toLocaleString('en-US');
    default: {
      const unreachable: never = unit;
      return unreachable;
    }
  }
}

/** UTC to the second: one zone for everyone on the channel, and what the logs say. */
function instant(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A duration between two instants in whole seconds, minutes past 90 s: what a timeline needs. */
function elapsed(fromMs: number, toMs: number): string {
  const seconds = Math.max(0, Math.round((toMs - fromMs) / 1_000));
  return seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/** A link's target may not hold the characters that end or split Slack's `<url|label>`. */
function linkTarget(url: string): string {
  return url.replaceAll('|', '%7C').replaceAll('<', '%3C').replaceAll('>', '%3E');
}

function listed(names: readonly string[]): string {
  return names.length === 0 ? '—' : names.map(escaped).join(', ');
}

function timeline(summary: IncidentSummary): string {
  const started = summary.startedAt.getTime();
  const detected = summary.detectedAt.getTime();
  const parts = [
    `*Started:* ${instant(summary.startedAt)}`,
    `*Detected:* ${instant(summary.detectedAt)} (+${elapsed(started, detected)})`,
    summary.mitigatedAt === undefined
      ? '*Mitigated:* not yet'
      : `*Mitigated:* ${instant(summary.mitigatedAt)} (+${elapsed(detected, summary.mitigatedAt.getTime())} after detection)`,
  ];
  return parts.join('\n');
}

/**
 * The fixed incident template: the same lines in the same order for every incident, so a person
 * on call finds scope, figures and times where they were last time.
 */
export function incidentMessage(summary: IncidentSummary): IncidentMessage {
  const severity = summary.severity.toUpperCase();
  const lines = [
    `${SEVERITY_MARKS[summary.severity]} *${STAGE_WORDS[summary.stage]} [${severity}]: ${escaped(summary.title)}*`,
    `*Scope:* ${escaped(summary.scope)}`,
    `*Affected:* ${listed(summary.affected)}`,
    `*Still working:* ${listed(summary.working)}`,
    `*Rule:* ${escaped(summary.rule.id)} (${escaped(summary.rule.kind)}): observed ${figure(summary.observed, summary.unit)} against a threshold of ${figure(summary.threshold, summary.unit)}`,
    timeline(summary),
    summary.link === undefined
      ? `*Incident:* ${escaped(summary.incidentId)}`
      : `*Incident:* <${linkTarget(summary.link)}|${escaped(summary.incidentId)}>`,
  ];
  return { text: lines.join('\n') };
}
