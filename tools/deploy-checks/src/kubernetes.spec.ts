import { DEFAULT_TOPIC_PARTITIONS } from '@keel/contracts';
import { ServiceEnvironment } from '@keel/platform';
import { variablesByDeployable } from './configuration-reference';
import {
  kubernetesOverlays,
  renderOverlay,
  schemaProblems,
  unknownFieldProblems,
  type KubernetesObject,
} from './kubernetes-manifests';

interface Container {
  readonly name: string;
  readonly image: string;
  readonly args?: readonly string[];
  readonly env?: readonly { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  readonly envFrom?: readonly {
    configMapRef?: { name: string; optional?: boolean };
    secretRef?: { name: string; optional?: boolean };
  }[];
  readonly livenessProbe?: { httpGet?: { path: string } };
  readonly readinessProbe?: { httpGet?: { path: string } };
  readonly resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readonly securityContext?: { allowPrivilegeEscalation?: boolean };
}
interface PodSpec {
  readonly terminationGracePeriodSeconds?: number;
  readonly securityContext?: { runAsNonRoot?: boolean };
  readonly containers: readonly Container[];
  readonly initContainers?: readonly Container[];
}
interface NetworkPolicyRule {
  readonly from?: readonly { namespaceSelector?: { matchLabels?: Record<string, string> } }[];
  readonly ports?: readonly { port: number | string }[];
}
interface NetworkPolicySpec {
  readonly podSelector: {
    matchLabels?: Record<string, string>;
    matchExpressions?: readonly { key: string; operator: string; values: readonly string[] }[];
  };
  readonly policyTypes: readonly string[];
  readonly ingress?: readonly NetworkPolicyRule[];
  readonly egress?: readonly NetworkPolicyRule[];
}

const KEEL_SERVICES = [...variablesByDeployable().keys()].filter((deployable) => deployable !== 'psp-sim');
const overlays = kubernetesOverlays();
const rendered = new Map(overlays.map((overlay) => [overlay, renderOverlay(overlay)]));
const defaults = new ServiceEnvironment();

const named = (
  objects: readonly KubernetesObject[],
  kind: string,
  name: string,
): KubernetesObject | undefined =>
  objects.find((object) => object.kind === kind && object.metadata.name === name);

const workloadOf = (objects: readonly KubernetesObject[], service: string): KubernetesObject | undefined =>
  objects.find(
    (object) =>
      (object.kind === 'StatefulSet' || object.kind === 'Deployment') &&
      object.metadata.name === `keel-${service}`,
  );

const podSpecOf = (workload: KubernetesObject): PodSpec =>
  (workload.spec as { template: { spec: PodSpec } }).template.spec;

/** Whether a policy's pod selector takes the pods of `service` (labels app.kubernetes.io/name, keel.dev/service). */
function selects(policy: NetworkPolicySpec, service: string): boolean {
  const labels: Record<string, string> = { 'app.kubernetes.io/name': service, 'keel.dev/service': 'true' };
  const byLabels = Object.entries(policy.podSelector.matchLabels ?? {}).every(
    ([key, value]) => labels[key] === value,
  );
  const byExpressions = (policy.podSelector.matchExpressions ?? []).every(
    (expression) => expression.operator === 'In' && expression.values.includes(labels[expression.key] ?? ''),
  );
  return byLabels && byExpressions;
}

describe('Kubernetes manifests (deploy/k8s), each overlay rendered by kustomize', () => {
  it('has the dev, prod and prod-keda overlays', () => {
    expect(overlays).toEqual(['dev', 'prod', 'prod-keda']);
  });

  it.each(overlays)(
    '%s: every object is valid against the schema of its API version (kubernetes-models)',
    (overlay) => {
      const objects = rendered.get(overlay) ?? [];
      expect(objects.length).toBeGreaterThan(20);
      expect(schemaProblems(objects)).toEqual([]);
    },
  );

  it("every object of every overlay has only fields its API defines (TypeScript over the models' types)", () => {
    const objects = [...rendered.values()].flat();
    expect(unknownFieldProblems(objects)).toEqual([]);
    const payment = workloadOf(rendered.get('prod') ?? [], 'payment');
    const misspelt = JSON.parse(
      JSON.stringify(payment).replace('"livenessProbe"', '"livenesProbe"'),
    ) as KubernetesObject;
    expect(unknownFieldProblems([misspelt]).join('\n')).toMatch(
      /livenesProbe.* does not exist in type 'IContainer'/,
    );
  }, 60_000);

  it('refuses what Kubernetes refuses (the schemas are really applied)', () => {
    const payment = workloadOf(rendered.get('prod') ?? [], 'payment');
    if (payment === undefined) throw new Error('no payment workload');
    const broken = structuredClone(payment) as unknown as {
      spec: { template: { spec: { containers: { ports: unknown }[] } } };
    };
    const [container] = broken.spec.template.spec.containers;
    if (container === undefined) throw new Error('no container');
    container.ports = [{ containerPort: 'three thousand' }];
    expect(schemaProblems([broken as unknown as KubernetesObject])).toHaveLength(1);
  });

  it.each(overlays)(
    '%s: each service has a workload, Service, ConfigMap, disruption budget, probes, limits and a stable identity',
    (overlay) => {
      const objects = rendered.get(overlay) ?? [];
      for (const service of KEEL_SERVICES) {
        const workload = workloadOf(objects, service);
        expect({ service, workload: workload?.kind }).toEqual({ service, workload: expect.any(String) });
        if (workload === undefined) continue;
        expect(named(objects, 'Service', `keel-${service}`)).toBeDefined();
        expect(named(objects, 'ConfigMap', `keel-${service}`)).toBeDefined();
        const budget = named(objects, 'PodDisruptionBudget', `keel-${service}`);
        expect(budget?.spec?.['selector']).toEqual({ matchLabels: { 'app.kubernetes.io/name': service } });
        const pod = podSpecOf(workload);
        // Longer than the service's whole graceful shutdown, drain included.
        expect((pod.terminationGracePeriodSeconds ?? 30) * 1_000).toBeGreaterThan(
          defaults.SHUTDOWN_TIMEOUT_MS,
        );
        expect(pod.securityContext?.runAsNonRoot).toBe(true);
        const [container] = pod.containers;
        expect(container?.livenessProbe?.httpGet?.path).toBe('/health/live');
        expect(container?.readinessProbe?.httpGet?.path).toBe('/health/ready');
        expect(Object.keys(container?.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(container?.resources?.limits ?? {})).toContain('memory');
        expect(container?.securityContext?.allowPrivilegeEscalation).toBe(false);
        expect(container?.env).toContainEqual({
          name: 'KEEL_INSTANCE_ID',
          valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
        });
        // Its database migrated before the container starts, from the same image and settings.
        const [migrate] = pod.initContainers ?? [];
        expect({ service, args: migrate?.args, image: migrate?.image }).toEqual({
          service,
          args: ['node', 'main.js', '--migrate-only'],
          image: container?.image,
        });
        expect(migrate?.envFrom).toEqual(container?.envFrom);
        if (service !== 'ops')
          expect({ service, kind: workload.kind }).toEqual({ service, kind: 'StatefulSet' });
      }
      expect(named(objects, 'Job', 'keel-setup')).toBeDefined();
    },
  );

  it.each(overlays)(
    '%s: sets only variables each service declares, from ConfigMaps of the overlay',
    (overlay) => {
      const objects = rendered.get(overlay) ?? [];
      const declared = variablesByDeployable();
      for (const service of KEEL_SERVICES) {
        const workload = workloadOf(objects, service);
        if (workload === undefined) throw new Error(`no workload for ${service}`);
        const [container] = podSpecOf(workload).containers;
        const configMaps = (container?.envFrom ?? []).flatMap((source) =>
          source.configMapRef === undefined ? [] : [source.configMapRef.name],
        );
        const keys = [
          ...configMaps.flatMap((name) => {
            const configMap = named(objects, 'ConfigMap', name);
            expect({ service, configMap: name, found: configMap !== undefined }).toEqual({
              service,
              configMap: name,
              found: true,
            });
            return Object.keys(configMap?.data ?? {});
          }),
          ...(container?.env ?? []).map((variable) => variable.name),
        ];
        const unknown = keys.filter((key) => !(declared.get(service) ?? new Set()).has(key));
        expect({ service, unknown }).toEqual({ service, unknown: [] });
      }
    },
  );

  it('commits no secret for production: prod overlays render no Secret, only references', () => {
    for (const overlay of ['prod', 'prod-keda']) {
      expect((rendered.get(overlay) ?? []).filter((object) => object.kind === 'Secret')).toEqual([]);
    }
    const dev = rendered.get('dev') ?? [];
    for (const service of KEEL_SERVICES) {
      const workload = workloadOf(dev, service);
      const secrets = podSpecOf(workload as KubernetesObject).containers.flatMap((container) =>
        (container.envFrom ?? []).flatMap((source) =>
          source.secretRef === undefined ? [] : [source.secretRef],
        ),
      );
      // Every Secret a dev pod needs is generated (kustomize suffixes its name with a hash).
      for (const secret of secrets.filter((reference) => reference.optional !== true)) {
        expect(dev.some((object) => object.kind === 'Secret' && object.metadata.name === secret.name)).toBe(
          true,
        );
      }
    }
  });

  it.each(overlays)('%s: scales payment and executor on CPU, within the partitions of a topic', (overlay) => {
    const objects = rendered.get(overlay) ?? [];
    const autoscalers = objects.filter((object) => object.kind === 'HorizontalPodAutoscaler');
    expect(autoscalers.map((autoscaler) => autoscaler.metadata.name).sort()).toEqual([
      'keel-executor',
      'keel-payment',
    ]);
    for (const autoscaler of autoscalers) {
      const spec = autoscaler.spec as { maxReplicas: number; metrics: { resource?: { name: string } }[] };
      expect(spec.maxReplicas).toBeLessThanOrEqual(DEFAULT_TOPIC_PARTITIONS);
      expect(spec.metrics.map((metric) => metric.resource?.name)).toEqual(['cpu']);
    }
  });

  it('prod-keda: scales the consumer services on their group lag, against the Kafka of keel-common', () => {
    const objects = rendered.get('prod-keda') ?? [];
    const brokers = named(objects, 'ConfigMap', 'keel-common')?.data?.['KAFKA_BROKERS'];
    const scaled = objects.filter((object) => object.kind === 'ScaledObject');
    expect(scaled.map((object) => object.metadata.name).sort()).toEqual([
      'keel-ledger',
      'keel-reconciliation',
      'keel-wallet',
    ]);
    for (const object of scaled) {
      const spec = object.spec as {
        scaleTargetRef: { name: string };
        maxReplicaCount: number;
        triggers: { type: string; metadata: Record<string, string> }[];
      };
      const service = object.metadata.name.replace(/^keel-/, '');
      expect(spec.scaleTargetRef.name).toBe(object.metadata.name);
      expect(spec.maxReplicaCount).toBeLessThanOrEqual(DEFAULT_TOPIC_PARTITIONS);
      expect(spec.triggers).toEqual([
        {
          type: 'kafka',
          metadata: expect.objectContaining({ bootstrapServers: brokers, consumerGroup: `keel-${service}` }),
        },
      ]);
      expect(workloadOf(objects, service)?.spec?.['replicas']).toBeUndefined();
    }
  });

  it.each(overlays)(
    '%s: network policies deny by default and open only the flows of the design',
    (overlay) => {
      const policies = (rendered.get(overlay) ?? [])
        .filter((object) => object.kind === 'NetworkPolicy')
        .map((object) => ({ name: object.metadata.name, spec: object.spec as unknown as NetworkPolicySpec }));
      const denyAll = policies.find(
        ({ spec }) =>
          Object.keys(spec.podSelector).length === 0 &&
          spec.policyTypes.includes('Ingress') &&
          spec.policyTypes.includes('Egress') &&
          (spec.ingress ?? []).length === 0 &&
          (spec.egress ?? []).length === 0,
      );
      expect(denyAll).toBeDefined();
      for (const service of KEEL_SERVICES) {
        const applying = policies.filter(({ spec }) => selects(spec, service));
        const fromEdge = applying.some(({ spec }) =>
          (spec.ingress ?? []).some((rule) =>
            (rule.from ?? []).some(
              (peer) => peer.namespaceSelector?.matchLabels?.['keel.dev/edge'] === 'true',
            ),
          ),
        );
        const toPsps = applying.some(({ spec }) =>
          (spec.egress ?? []).some((rule) => (rule.ports ?? []).some((port) => port.port === 443)),
        );
        expect({ service, fromEdge, toPsps }).toEqual({
          service,
          fromEdge: ['payment', 'executor'].includes(service),
          toPsps: ['executor', 'reconciliation'].includes(service),
        });
      }
    },
  );
});
