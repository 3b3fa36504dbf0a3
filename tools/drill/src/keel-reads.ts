import type { BuyerView, ObservedIncident, ObservedRoutingChange, RouteRow } from './drill-observations';

/** Where the drill reads Keel: the services' URLs and a viewer's Authorization (fresh each call). */
export interface KeelEndpoints {
  readonly paymentUrl: string;
  readonly executorUrl: string;
  readonly opsUrl: string;
  readonly pspSimUrl: string;
  readonly viewer: () => string;
}

const READ_TIMEOUT_MS = 10_000;
/** ops' page size limit by default (OPS_PAGE_SIZE_MAX): a drill opens and changes far fewer. */
const PAGE = 100;

async function getJson<T>(url: string, authorization?: string): Promise<T> {
  const response = await fetch(url, {
    headers: authorization === undefined ? {} : { authorization },
    signal: AbortSignal.timeout(READ_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** The executor's routing table in force (GET /v1/routes). */
export async function executorRoutes(keel: KeelEndpoints): Promise<RouteRow[]> {
  return (await getJson<{ routes: RouteRow[] }>(`${keel.executorUrl}/v1/routes`, keel.viewer())).routes;
}

interface IncidentBody {
  readonly id: string;
  readonly scopeKey: string;
  readonly title: string;
  readonly status: string;
  readonly rule: { readonly id: string };
  readonly diagnosis: { readonly kind: string };
  readonly postMortem: { readonly detectedAt: string };
  readonly updates?: readonly { at: string; actor: string; kind: string; text: string }[];
}

/** Incidents detected at or after `sinceMs`, each with its timeline. */
export async function incidentsSince(keel: KeelEndpoints, sinceMs: number): Promise<ObservedIncident[]> {
  const list = await getJson<IncidentBody[]>(`${keel.opsUrl}/v1/ops/incidents?limit=${PAGE}`, keel.viewer());
  const recent = list.filter((incident) => Date.parse(incident.postMortem.detectedAt) >= sinceMs);
  const full = await Promise.all(
    recent.map((incident) =>
      getJson<IncidentBody>(`${keel.opsUrl}/v1/ops/incidents/${incident.id}`, keel.viewer()),
    ),
  );
  return full.map((incident) => ({
    id: incident.id,
    scopeKey: incident.scopeKey,
    title: incident.title,
    status: incident.status,
    ruleId: incident.rule.id,
    diagnosisKind: incident.diagnosis.kind,
    detectedAtMs: Date.parse(incident.postMortem.detectedAt),
    updates: (incident.updates ?? [])
      .map((update) => ({
        atMs: Date.parse(update.at),
        actor: update.actor,
        kind: update.kind,
        text: update.text,
      }))
      .sort((a, b) => a.atMs - b.atMs),
  }));
}

interface AuditBody {
  readonly at: string;
  readonly actor: string;
  readonly kind: string;
  readonly methodType: string;
  readonly provider: string;
  readonly why: string;
  readonly incidentId?: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** ops' routing audit from `sinceMs` on, oldest first. */
export async function routingChangesSince(
  keel: KeelEndpoints,
  sinceMs: number,
): Promise<ObservedRoutingChange[]> {
  const page = await getJson<AuditBody[]>(
    `${keel.opsUrl}/v1/ops/routing/changes?limit=${PAGE}`,
    keel.viewer(),
  );
  return page
    .map((entry) => ({
      atMs: Date.parse(entry.at),
      actor: entry.actor,
      kind: entry.kind,
      methodType: entry.methodType,
      provider: entry.provider,
      why: entry.why,
      before: entry.before,
      after: entry.after,
      ...(entry.incidentId === undefined || entry.incidentId === null
        ? {}
        : { incidentId: entry.incidentId }),
    }))
    .filter((change) => change.atMs >= sinceMs)
    .sort((a, b) => a.atMs - b.atMs);
}

interface MethodStatusBody {
  readonly methodType: string;
  readonly provider: string;
  readonly enabled: boolean;
  /** While ops probes it: the share of its payments admitted; absent on a system without probes. */
  readonly admittedPercent?: number | null;
  readonly notice: string | null;
}

/** On for every payment: neither switched off nor probed with a share of them. */
export function fullyOn(method: MethodStatusBody): boolean {
  return method.enabled && (method.admittedPercent ?? null) === null;
}

/** Methods and providers ops has switched, as `methodType/provider` with their status. */
export async function opsMethodStatuses(keel: KeelEndpoints): Promise<MethodStatusBody[]> {
  return (await getJson<{ methods: MethodStatusBody[] }>(`${keel.opsUrl}/v1/ops/routing`, keel.viewer()))
    .methods;
}

interface PaymentMethodsBody {
  readonly methods: readonly {
    readonly type: string;
    readonly available: boolean;
    readonly disabledProviders: readonly { provider: string; notice?: string }[];
  }[];
}

/** A GET that may not exist on this system yet: undefined on 404. */
async function optional(url: string): Promise<Response | undefined> {
  const response = await fetch(url, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response;
}

/** How buyers are told about one provider now: ops' status, the payment service's list, the status page. */
export async function buyerView(
  keel: KeelEndpoints,
  methodType: string,
  provider: string,
  currency: string,
): Promise<BuyerView> {
  const atMs = Date.now();
  const status = (await opsMethodStatuses(keel)).find(
    (method) => method.methodType === methodType && method.provider === provider,
  );
  const listResponse = await optional(`${keel.paymentUrl}/v1/payment-methods?currency=${currency}`);
  const list = listResponse === undefined ? undefined : ((await listResponse.json()) as PaymentMethodsBody);
  const method = list?.methods.find((candidate) => candidate.type === methodType);
  const disabled = method?.disabledProviders.find((candidate) => candidate.provider === provider);
  const statusResponse = await optional(`${keel.opsUrl}/status.json`);
  const statusText = statusResponse === undefined ? undefined : (await statusResponse.text()).toLowerCase();
  return {
    atMs,
    ops:
      status === undefined
        ? undefined
        : { enabled: status.enabled, ...(status.notice === null ? {} : { notice: status.notice }) },
    paymentMethods:
      list === undefined
        ? 'absent'
        : method === undefined
          ? undefined
          : {
              enabled: method.available && disabled === undefined,
              ...(disabled?.notice === undefined ? {} : { notice: disabled.notice }),
            },
    statusPage:
      statusText === undefined ? 'absent' : { mentioned: statusText.includes(provider.toLowerCase()) },
  };
}
