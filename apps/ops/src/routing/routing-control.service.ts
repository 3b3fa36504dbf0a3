import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  buildEnvelope,
  OPS_EVENT_TYPES,
  type OpsMethodStatusChangedPayload,
  type PaymentMethodType,
} from '@keel/contracts';
import { OutboxPublisher } from '@keel/messaging';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import type { ManualHold, Route, RoutingChange, RoutingPlan } from '@keel/ops-domain';
import { HoldNotFoundError } from '../ops.errors';
import { ExecutorRoutesClient } from './executor-routes.client';
import { RoutingStateRepository, type RoutingChangeRecord } from './routing-state.repository';

/** The actor of every change automation makes. */
export const AUTOMATION_ACTOR = 'ops:auto';
const OPS_EVENT_SOURCE = '/keel/ops';
/** One routing change at a time across every ops instance: each reads, changes and writes the table. */
const ROUTING_LOCK_KEY = 'keel_ops_routing_control';

/** What a decision sees: the table in force and the groups people hold. */
export interface RoutingView {
  readonly routes: readonly Route[];
  readonly holds: readonly ManualHold[];
}

export interface RoutingRequest {
  /** `ops:auto`, or the operator's name. */
  readonly actor: string;
  readonly why: string;
  readonly incidentId?: string;
  /** The changes to make, decided on the table and holds as they are now (under the lock). */
  readonly decide: (view: RoutingView) => RoutingPlan;
}

export interface RoutingOutcome {
  readonly applied: readonly RoutingChange[];
  readonly skipped: RoutingPlan['skipped'];
}

const groupKey = (methodType: string, provider: string) => `${methodType}/${provider}`;

/** The table with each changed group's routes replaced by the change's `after`. */
function tableAfter(routes: readonly Route[], changes: readonly RoutingChange[]): Route[] {
  let table = [...routes];
  for (const change of changes) {
    if (change.kind !== 'weights') continue;
    const key = groupKey(change.methodType, change.provider);
    table = [
      ...table.filter((route) => groupKey(route.methodType, route.provider) !== key),
      ...change.after.map(({ methodType, provider, pspId, weight, enabled }) => ({
        methodType,
        provider,
        pspId,
        weight,
        enabled,
      })),
    ];
  }
  return table.sort((a, b) =>
    `${a.methodType}/${a.provider}/${a.pspId}`.localeCompare(`${b.methodType}/${b.provider}/${b.pspId}`),
  );
}

/**
 * The one path by which routing changes, for automation and people alike: under a lock, it reads
 * the executor's table (`GET /v1/routes`) and the holds, lets the caller decide, puts the changed
 * table back (`PUT /v1/routes`, which every executor instance re-reads within ROUTING_REFRESH_MS),
 * switches methods on, off or to a probe's share for buyers (method_statuses and the event on
 * keel.ops.v1), and records
 * every change in routing_changes, all in one transaction of ops' database. Automation never
 * touches a group a person holds; a person's change holds its group until released.
 */
@Injectable()
export class RoutingControl {
  readonly #releaseListeners: (() => void)[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: ExecutorRoutesClient,
    private readonly state: RoutingStateRepository,
    private readonly outbox: OutboxPublisher,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  /** The table in force, read from the executor. */
  routes(): Promise<Route[]> {
    return this.executor.routes();
  }

  async apply(request: RoutingRequest): Promise<RoutingOutcome> {
    const automated = request.actor === AUTOMATION_ACTOR;
    const outcome = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [ROUTING_LOCK_KEY]);
      const holds = await this.state.holds(manager);
      const routes = await this.executor.routes();
      const plan = request.decide({ routes, holds });
      const skipped = [...plan.skipped];
      const applied = plan.changes.filter((change) => {
        const hold = holds.find(
          (held) => groupKey(held.methodType, held.provider) === groupKey(change.methodType, change.provider),
        );
        if (!automated || hold === undefined) return true;
        skipped.push({
          methodType: change.methodType,
          provider: change.provider,
          why: `held by ${hold.actor}`,
        });
        return false;
      });
      if (applied.some((change) => change.kind === 'weights'))
        await this.executor.replace(tableAfter(routes, applied));
      const records: RoutingChangeRecord[] = [];
      for (const change of applied) records.push(await this.#applyOne(manager, request, change));
      await this.state.record(manager, records);
      if (!automated)
        for (const change of applied)
          await this.state.hold(manager, change.methodType, change.provider, request.actor);
      return { applied, skipped };
    });
    for (const change of outcome.applied)
      this.logger.warn(
        {
          actor: request.actor,
          kind: change.kind,
          methodType: change.methodType,
          provider: change.provider,
          why: request.why,
        },
        'routing changed',
      );
    return outcome;
  }

  /** Called after each hold released (and committed): automation held back may act now. */
  onHoldReleased(listener: () => void): void {
    this.#releaseListeners.push(listener);
  }

  /** Releases a person's hold: automation may act on the group again. Recorded like a change. */
  async release(methodType: string, provider: string, actor: string, why: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const released = await this.state.release(manager, methodType, provider);
      if (released === undefined) throw new HoldNotFoundError(methodType, provider);
      await this.state.record(manager, [
        {
          actor,
          kind: 'hold_released',
          methodType,
          provider,
          before: { heldBy: released.actor, heldAt: released.heldAt },
          after: null,
          why,
        },
      ]);
    });
    for (const listener of this.#releaseListeners) listener();
  }

  /** The audit record of one change; a method switched also gets its status row and its event. */
  async #applyOne(
    manager: EntityManager,
    request: RoutingRequest,
    change: RoutingChange,
  ): Promise<RoutingChangeRecord> {
    const common = {
      actor: request.actor,
      methodType: change.methodType,
      provider: change.provider,
      why: request.why,
      incidentId: request.incidentId,
    };
    if (change.kind === 'weights')
      return { ...common, kind: 'weights', before: change.before, after: change.after };
    const previous = (await this.state.methodStatuses(manager)).find(
      (status) =>
        groupKey(status.methodType, status.provider) === groupKey(change.methodType, change.provider),
    );
    const admittedPercent = change.enabled ? (change.admittedPercent ?? null) : null;
    // A notice is what the payments refused are told: all of them while off, the rest while probed.
    const notice = change.enabled && admittedPercent === null ? null : (change.notice ?? null);
    await this.state.setMethodStatus(manager, {
      methodType: change.methodType,
      provider: change.provider,
      enabled: change.enabled,
      admittedPercent,
      notice,
      changedBy: request.actor,
    });
    const data: OpsMethodStatusChangedPayload = {
      methodType: change.methodType as PaymentMethodType,
      provider: change.provider,
      enabled: change.enabled,
      ...(admittedPercent === null ? {} : { admittedPercent }),
      ...(notice === null ? {} : { notice }),
      changedBy: request.actor,
      changedAt: new Date().toISOString(),
    };
    await this.outbox.publish(manager, [
      buildEnvelope({ type: OPS_EVENT_TYPES.methodStatusChanged, source: OPS_EVENT_SOURCE, data }),
    ]);
    return {
      ...common,
      kind: 'method',
      before: {
        enabled: previous?.enabled ?? true,
        admittedPercent: previous?.admittedPercent ?? null,
        notice: previous?.notice ?? null,
      },
      after: { enabled: change.enabled, admittedPercent, notice },
    };
  }
}
