import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import {
  Detector,
  diagnose,
  scopeKey,
  type DetectionChange,
  type DetectionRule,
  type Diagnosis,
} from '@keel/ops-domain';
import type { Incident } from '../incidents/incident';
import { PeriodicTask } from '@keel/platform';
import { Incidents } from '../incidents/incidents.service';
import { PipelineReader } from '../pipeline/pipeline-reader';
import { AutomaticResponse } from '../response/automatic-response';
import { RoutingControl } from '../routing/routing-control.service';
import { OPS_SIGNALS, type OpsSignals } from '../signals/ops-signals';
import { DetectionRuleRepository } from './detection-rule.repository';

export const DETECTION_INTERVAL_MS = Symbol('keel.ops.detection-interval-ms');

/**
 * Every OPS_DETECTION_INTERVAL_MS: re-reads the rules (a change by any instance applies at the
 * next run), runs the Detector over the signal windows, breaker states and the services' last
 * pipeline readings, opens, updates or recovers incidents from what changed, starts the routing
 * response of `auto_act` rules, and moves the responses under way to their next stage.
 */
@Injectable()
export class DetectionLoop implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;
  private detector: Detector | undefined;
  private rulesText = '';
  /** Mitigations that failed (the executor unreachable), tried again at each run until they go through. */
  private readonly pendingMitigations = new Map<string, Diagnosis>();
  /** Mitigations a person's hold kept back entirely, tried again once a hold is released. */
  private readonly heldBackMitigations = new Map<string, Diagnosis>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: DetectionRuleRepository,
    private readonly incidents: Incidents,
    private readonly response: AutomaticResponse,
    routing: RoutingControl,
    @Inject(OPS_SIGNALS) private readonly signals: OpsSignals,
    private readonly pipeline: PipelineReader,
    @Inject(DETECTION_INTERVAL_MS) intervalMs: number,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {
    this.task = new PeriodicTask(
      { name: 'ops-detection', intervalMs, failureMessage: 'detection run failed', failureLevel: 'error' },
      () => this.run(),
      logger,
    );
    routing.onHoldReleased(() => {
      for (const [incidentId, diagnosis] of this.heldBackMitigations)
        this.pendingMitigations.set(incidentId, diagnosis);
      this.heldBackMitigations.clear();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.rules.seed(this.dataSource.manager);
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** One detection run now (or the one in flight). */
  runNow(): Promise<void> {
    return this.task.runNow();
  }

  private async run(): Promise<void> {
    const detector = await this.currentDetector();
    const nowMs = Date.now();
    const changes = detector.evaluate({
      nowMs,
      windows: this.signals.windows,
      breakers: this.signals.breakers(),
      pipeline: this.pipeline.readings(),
    });
    for (const [incidentId, diagnosis] of [...this.pendingMitigations]) {
      this.pendingMitigations.delete(incidentId);
      await this.mitigate(await this.incidents.get(incidentId), diagnosis);
    }
    for (const change of changes) await this.handle(change, detector, nowMs);
    await this.response.progress(nowMs, detector.firing());
  }

  private async handle(change: DetectionChange, detector: Detector, nowMs: number): Promise<void> {
    const { firing } = change;
    if (change.kind === 'recovered') {
      const key = scopeKey(firing.scope);
      const stillFiring = detector.firing().some((other) => scopeKey(other.scope) === key);
      await this.incidents.recovered(firing, change.recoveredAtMs, stillFiring);
      return;
    }
    const diagnosis = diagnose(firing, this.signals.windows, nowMs);
    this.logger.warn(
      { rule: firing.rule.id, scope: scopeKey(firing.scope), diagnosis },
      'detection rule fired',
    );
    const { incident } = await this.incidents.fired(firing, diagnosis);
    if (firing.rule.response === 'auto_act') await this.mitigate(incident, diagnosis);
  }

  private async mitigate(incident: Incident, diagnosis: Diagnosis): Promise<void> {
    try {
      const { heldBack } = await this.response.fired(incident, diagnosis);
      if (heldBack) this.heldBackMitigations.set(incident.id, diagnosis);
    } catch (error) {
      this.pendingMitigations.set(incident.id, diagnosis);
      this.logger.error(
        { err: error, incidentId: incident.id },
        'mitigation failed; trying again at the next run',
      );
    }
  }

  /** The detector with the rules in force: firings carry over a change of rules. */
  private async currentDetector(): Promise<Detector> {
    const { rules } = await this.rules.find(this.dataSource.manager);
    const text = JSON.stringify(rules);
    if (this.detector === undefined) this.detector = new Detector(rules);
    else if (text !== this.rulesText) this.detector.replaceRules(rules satisfies readonly DetectionRule[]);
    this.rulesText = text;
    return this.detector;
  }
}
