import { cpus, totalmem } from 'node:os';
import { describeChange, type DrillFigures, type OutcomeCounts } from './drill-figures';
import type { DrillObservations } from './drill-observations';
import type { DrillScenario } from './drill-scenarios';

const seconds = (ms: number | undefined): string =>
  ms === undefined ? 'never' : `${(ms / 1_000).toFixed(1)} s`;

const counts = (c: OutcomeCounts): string =>
  `${c.sent} sent: ${c.completed} completed, ${c.failed} failed, ${c.refused} refused, ${c.unanswered} unanswered, ${c.not_terminal} not terminal`;

/** The figures as the console prints them and the report lists them. */
export function drillLines(figures: DrillFigures): string[] {
  const { orphans } = figures;
  return [
    `traffic: ${figures.ratePerSecond} checkouts/s; fault for ${figures.faultSeconds} s`,
    `time to detect (fault start → incident opened): ${seconds(figures.detectMs)}`,
    `time to mitigate (fault start → first automatic routing change): ${seconds(figures.mitigateMs)}${figures.firstMitigation === undefined ? '' : ` — ${figures.firstMitigation}`}`,
    `${figures.watched.label} sent during the fault: ${counts(figures.watched)}`,
    `all checkouts sent during the fault: ${counts(figures.duringFault)}`,
    `all checkouts of the drill: ${counts(figures.overall)}`,
    `orphan charges: ${orphans.detected} detected, ${orphans.refunded} refunded${orphans.refundDelayMs === undefined ? '' : ` (refund delay median ${seconds(orphans.refundDelayMs.median)}, max ${seconds(orphans.refundDelayMs.max)})`}`,
    `time to recover (fault lifted → incident recovered): ${seconds(figures.incidentRecoveredMs)}`,
    `time to restore (fault lifted → routing as before): ${figures.routingAsBefore ? (figures.routingRestoredMs === undefined ? 'never changed' : seconds(figures.routingRestoredMs)) : 'not restored'}`,
    `incidents: ${figures.incidents.length === 0 ? 'none' : figures.incidents.map((incident) => `${incident.scopeKey} (${incident.ruleId}, ${incident.diagnosisKind}, ${incident.status}, +${seconds(incident.detectedAfterMs)})`).join('; ')}`,
    `routing changes: ${figures.automaticChanges} by ops:auto, ${figures.manualChanges} by people`,
    ...figures.verdicts.map(
      (verdict) =>
        `${verdict.met ? 'MET' : 'NOT MET'}: ${verdict.name} — target ${verdict.target}, observed ${verdict.observed}`,
    ),
  ];
}

function machineLine(): string {
  return `Machine: ${cpus().length} CPUs (nproc), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${process.platform}/${process.arch}.`;
}

/** docs/drills/<scenario>.md: what ran, the targets met or not, the figures, and what ops did. */
export function drillMarkdown(
  scenario: DrillScenario,
  figures: DrillFigures,
  context: {
    readonly command: string;
    readonly startedAt: Date;
    readonly system: string;
    readonly timeline: readonly string[];
    readonly notes: readonly string[];
  },
): string {
  const providerRows = Object.entries(figures.byProvider).map(
    ([provider, c]) =>
      `| ${provider} | ${c.sent} | ${c.completed} | ${c.failed} | ${c.refused} | ${c.unanswered + c.not_terminal} |`,
  );
  return [
    `# Drill: ${scenario.title} (${scenario.name})`,
    '',
    `Command: \`${context.command}\``,
    '',
    `Date: ${context.startedAt.toISOString()}`,
    '',
    machineLine(),
    '',
    `System: ${context.system}`,
    '',
    `${scenario.story}`,
    '',
    `Result: **${figures.passed ? 'every target met' : 'a target not met'}**.`,
    '',
    '## Targets',
    '',
    '| check | target | observed | |',
    '| ----- | ------ | -------- | - |',
    ...figures.verdicts.map(
      (verdict) =>
        `| ${verdict.name} | ${verdict.target} | ${verdict.observed} | ${verdict.met ? 'met' : '**not met**'} |`,
    ),
    '',
    '## Figures',
    '',
    ...drillLines(figures).map((line) => `- ${line}`),
    '',
    '## Checkouts sent during the fault, by method and provider',
    '',
    '| method/provider | sent | completed | failed | refused | unanswered or not terminal |',
    '| --------------- | ---- | --------- | ------ | ------- | -------------------------- |',
    ...providerRows,
    '',
    '## Timeline (seconds from the fault start)',
    '',
    ...context.timeline.map((line) => `- ${line}`),
    '',
    ...(context.notes.length === 0 ? [] : ['## Notes', '', ...context.notes.map((line) => `- ${line}`), '']),
  ].join('\n');
}

/** What happened when, in seconds from the fault's start: the fault, incidents' timelines, routing changes. */
export function drillTimeline(observations: DrillObservations): string[] {
  const at = (atMs: number) => `${((atMs - observations.faultStartMs) / 1_000).toFixed(1)} s`;
  const events: { atMs: number; line: string }[] = [
    { atMs: observations.trafficStartMs, line: 'traffic starts' },
    { atMs: observations.faultStartMs, line: 'fault injected' },
    { atMs: observations.faultEndMs, line: 'fault lifted' },
    { atMs: observations.endMs, line: 'recovery wait over; traffic stops' },
    ...observations.incidents.flatMap((incident) =>
      incident.updates.map((update) => ({
        atMs: update.atMs,
        line: `incident ${incident.scopeKey}: ${update.kind} (${update.actor}) — ${update.text}`,
      })),
    ),
    ...observations.routingChanges.map((change) => ({
      atMs: change.atMs,
      line: `routing (${change.actor}): ${describeChange(change)} — ${change.why}`,
    })),
  ];
  return events.sort((a, b) => a.atMs - b.atMs).map((event) => `${at(event.atMs)}: ${event.line}`);
}
