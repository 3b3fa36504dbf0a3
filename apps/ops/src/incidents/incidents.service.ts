import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { scopeKey, type Diagnosis, type Firing, type RoutingChange } from '@keel/ops-domain';
import type { IncidentStage } from '../alerting/incident-summary';
import { IncidentNotifier } from '../alerting/incident-notifier';
import { IncidentNotFoundError, IncidentResolvedError } from '../ops.errors';
import type { Incident, IncidentStatus, IncidentWithUpdates, MitigationStage } from './incident';
import { announcementOf } from './incident-announcement';
import { IncidentRepository, type PostMortemChange } from './incident.repository';
import { changeText, firingText, wordingOf } from './incident-wording';

/** Who acts when ops itself does. */
const OPS_ACTOR = 'ops:auto';

/**
 * Incidents: a firing opens one for its scope or updates the one not yet resolved; a recovery marks
 * it recovered once nothing fires on its scope; the automatic response records its stages; people
 * acknowledge, annotate, resolve and write the post-mortem. Every change adds to the timeline, and
 * the ones people must hear of go to the alert webhook after their commit.
 */
@Injectable()
export class Incidents {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: IncidentRepository,
    private readonly notifier: IncidentNotifier,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  /** The incident a firing opened or updated; `opened` when it is new. */
  async fired(firing: Firing, diagnosis: Diagnosis): Promise<{ incident: Incident; opened: boolean }> {
    const key = scopeKey(firing.scope);
    const wording = wordingOf(firing.rule.id, diagnosis);
    const rule = { id: firing.rule.id, kind: firing.rule.kind, response: firing.rule.response };
    const result = await this.dataSource.transaction(async (manager) => {
      const existing = await this.repository.unresolvedOf(manager, key);
      const figures = {
        title: wording.title,
        rule,
        diagnosis,
        observed: firing.latest.observed,
        threshold: firing.rule.threshold,
      };
      if (existing !== undefined) {
        await this.repository.refire(manager, existing.id, figures);
        await this.repository.addUpdates(manager, existing.id, [
          { actor: OPS_ACTOR, kind: 'fired', text: `${firingText(firing)}; ${wording.scope}` },
        ]);
        return { incident: await this.#get(manager, existing.id), opened: false };
      }
      const id = randomUUID();
      const detectedAt = new Date(firing.firedAtMs);
      await this.repository.insert(manager, {
        id,
        scopeKey: key,
        ...figures,
        // The trouble began within the rule's window at the latest; people correct it in the post-mortem.
        startedAt: new Date(firing.firedAtMs - firing.rule.windowMs),
        detectedAt,
      });
      await this.repository.addUpdates(manager, id, [
        { actor: OPS_ACTOR, kind: 'opened', text: `${firingText(firing)}; ${wording.scope}` },
      ]);
      return { incident: await this.#get(manager, id), opened: true };
    });
    this.#announce(result.incident, result.opened ? 'opened' : 'updated');
    return result;
  }

  /**
   * A firing recovered. The incident is recovered once no rule fires on its scope (`stillFiring`
   * says whether one does); either way the timeline says so.
   */
  async recovered(
    firing: Firing,
    recoveredAtMs: number,
    stillFiring: boolean,
  ): Promise<Incident | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const incident = await this.repository.unresolvedOf(manager, scopeKey(firing.scope));
      if (incident === undefined) return undefined;
      if (!stillFiring) await this.repository.markRecovered(manager, incident.id, new Date(recoveredAtMs));
      await this.repository.addUpdates(manager, incident.id, [
        { actor: OPS_ACTOR, kind: 'recovered', text: `${firing.rule.id} recovered: ${firingText(firing)}` },
      ]);
      return this.#get(manager, incident.id);
    });
  }

  /** The automatic response's stage, with the routing changes it made (none when all were skipped). */
  async stageReached(
    incidentId: string,
    stage: MitigationStage,
    changes: readonly RoutingChange[],
    skipped: readonly { methodType: string; provider: string; why: string }[],
    mitigation?: readonly RoutingChange[],
  ): Promise<void> {
    const incident = await this.dataSource.transaction(async (manager) => {
      const at = new Date();
      // A mitigation that changed nothing (every group held or without another PSP) has no stages.
      if (mitigation !== undefined && mitigation.length > 0)
        await this.repository.setMitigation(manager, incidentId, mitigation, at);
      else if (mitigation === undefined) await this.repository.setStage(manager, incidentId, stage, at);
      await this.repository.addUpdates(manager, incidentId, [
        ...changes.map((change) => ({ actor: OPS_ACTOR, kind: stage, text: changeText(change) })),
        ...skipped.map((skip) => ({
          actor: OPS_ACTOR,
          kind: `${stage}_skipped`,
          text: `${skip.methodType}/${skip.provider} left alone: ${skip.why}`,
        })),
      ]);
      return this.#get(manager, incidentId);
    });
    if (stage === 'mitigated' && changes.length > 0) this.#announce(incident, 'mitigated');
  }

  /** What the automatic response has still to restore. */
  underway(): Promise<Incident[]> {
    return this.repository.withMitigationUnderway(this.dataSource.manager);
  }

  list(filter: { status?: IncidentStatus; limit: number; before?: string }): Promise<Incident[]> {
    return this.repository.list(this.dataSource.manager, filter);
  }

  get(id: string): Promise<IncidentWithUpdates> {
    return this.#get(this.dataSource.manager, id);
  }

  acknowledge(id: string, actor: string): Promise<IncidentWithUpdates> {
    return this.#byPerson(id, false, async (manager) => {
      await this.repository.acknowledge(manager, id, actor);
      await this.repository.addUpdates(manager, id, [
        { actor, kind: 'acknowledged', text: `acknowledged by ${actor}` },
      ]);
    });
  }

  annotate(id: string, actor: string, note: string): Promise<IncidentWithUpdates> {
    return this.#byPerson(id, true, (manager) =>
      this.repository.addUpdates(manager, id, [{ actor, kind: 'note', text: note }]),
    );
  }

  async resolve(id: string, actor: string, note: string): Promise<IncidentWithUpdates> {
    const incident = await this.#byPerson(id, false, async (manager) => {
      await this.repository.resolve(manager, id, actor);
      await this.repository.addUpdates(manager, id, [{ actor, kind: 'resolved', text: note }]);
    });
    this.#announce(incident, 'resolved');
    return incident;
  }

  writePostMortem(id: string, actor: string, change: PostMortemChange): Promise<IncidentWithUpdates> {
    return this.#byPerson(id, true, async (manager) => {
      await this.repository.setPostMortem(manager, id, change);
      const fields = Object.entries(change)
        .filter(([, value]) => value !== undefined)
        .map(([field]) => field)
        .join(', ');
      await this.repository.addUpdates(manager, id, [
        { actor, kind: 'post_mortem', text: `post-mortem: ${fields}` },
      ]);
    });
  }

  async #byPerson(
    id: string,
    resolvedToo: boolean,
    change: (manager: EntityManager) => Promise<void>,
  ): Promise<IncidentWithUpdates> {
    return this.dataSource.transaction(async (manager) => {
      const incident = await this.repository.find(manager, id, true);
      if (incident === undefined) throw new IncidentNotFoundError(id);
      if (!resolvedToo && incident.status === 'resolved') throw new IncidentResolvedError(id);
      await change(manager);
      return this.#get(manager, id);
    });
  }

  async #get(manager: EntityManager, id: string): Promise<IncidentWithUpdates> {
    const incident = await this.repository.find(manager, id);
    if (incident === undefined) throw new IncidentNotFoundError(id);
    return { ...incident, updates: await this.repository.updatesOf(manager, id) };
  }

  /** After the commit, never awaited: an alert that cannot be sent holds nothing up (the notifier logs it). */
  #announce(incident: Incident, stage: IncidentStage): void {
    const summary = announcementOf(incident, wordingOf(incident.rule.id, incident.diagnosis), stage);
    this.notifier
      .notify(summary)
      .catch((error: unknown) =>
        this.logger.error({ err: error, incidentId: incident.id }, 'incident notification failed'),
      );
  }
}
