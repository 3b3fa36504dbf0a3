import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveEndpoints, workspaceRoot } from '@keel/local-infra';
import {
  createTestDatabase,
  createTestNamespace,
  waitFor,
  type TestDatabase,
  type TestNamespace,
} from '@keel/testing';
import { freePort } from './free-port.util';
import { KeelSystem } from './keel-system';
import { PSP_IDS, SYSTEM_PROCESSES, type PspId, type SystemProcessName } from './service-catalog';
import { ServiceProcess } from './service-process';

jest.setTimeout(180_000);

/**
 * The PSP credentials of each process that holds some (and the executor's operator token secret),
 * as its environment's class names them.
 */
const SECRETS_OF = {
  executor: [
    'OPERATOR_TOKEN_SECRET',
    'PSP_ACME_API_KEY',
    'PSP_ACME_WEBHOOK_SECRET',
    'PSP_NOVA_SECRET',
    'PSP_NOVA_WEBHOOK_SECRET',
    'PSP_SWIFTPAY_API_KEY',
    'PSP_SWIFTPAY_WEBHOOK_SECRET',
  ],
  'psp-sim': [
    'PSP_SIM_ACME_API_KEY',
    'PSP_SIM_ACME_WEBHOOK_SECRET',
    'PSP_SIM_NOVA_SECRET',
    'PSP_SIM_NOVA_WEBHOOK_SECRET',
    'PSP_SIM_SWIFTPAY_KEY',
    'PSP_SIM_SWIFTPAY_WEBHOOK_SECRET',
  ],
} as const;

const logDirectory = mkdtempSync(join(tmpdir(), 'keel-secrets-'));
afterAll(() => rmSync(logDirectory, { recursive: true, force: true }));

/** The process run as `main.ts` runs it, without KEEL_PROFILE and without any PSP credential. */
async function exitWithoutSecrets(
  name: keyof typeof SECRETS_OF,
): Promise<{ code: number | null; log: string }> {
  const { KEEL_PROFILE: _profile, ...inherited } = process.env;
  const child = new ServiceProcess({
    name,
    entryPoint: join('apps', name, 'src', 'main.ts'),
    cwd: workspaceRoot(),
    logDirectory,
    environment: {
      ...inherited,
      PORT: String(await freePort()),
      PSP_SIM_PORT: String(await freePort()),
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/keel_unused',
      KAFKA_BROKERS: '127.0.0.1:19092',
    },
  });
  const code = await new Promise<number | null>((resolve) => child.start((exitCode) => resolve(exitCode)));
  // Its output may reach the log after it exited.
  const last = SECRETS_OF[name].at(-1) ?? '';
  const log = await waitFor(
    () => {
      const text = readFileSync(child.logPath, 'utf8');
      return text.includes(last) && text;
    },
    { timeoutMs: 10_000, description: `${name}'s refusal in ${child.logPath}` },
  );
  return { code, log };
}

/** Random credentials of 48 characters, each PSP's the same on both sides, as a deployment sets them. */
function ownCredentials(): Record<string, string> {
  const credential = () => randomBytes(24).toString('hex');
  const pairs: [string, string][] = [
    ['PSP_ACME_API_KEY', 'PSP_SIM_ACME_API_KEY'],
    ['PSP_ACME_WEBHOOK_SECRET', 'PSP_SIM_ACME_WEBHOOK_SECRET'],
    ['PSP_NOVA_SECRET', 'PSP_SIM_NOVA_SECRET'],
    ['PSP_NOVA_WEBHOOK_SECRET', 'PSP_SIM_NOVA_WEBHOOK_SECRET'],
    ['PSP_SWIFTPAY_API_KEY', 'PSP_SIM_SWIFTPAY_KEY'],
    ['PSP_SWIFTPAY_WEBHOOK_SECRET', 'PSP_SIM_SWIFTPAY_WEBHOOK_SECRET'],
  ];
  return Object.fromEntries(
    pairs.flatMap(([executor, simulator]) => {
      const value = credential();
      return [
        [executor, value],
        [simulator, value],
      ];
    }),
  );
}

/** An acme webhook saying a charge succeeded, signed with `secret` as acme signs. */
function acmeWebhook(secret: string): { body: string; signature: string } {
  const body = JSON.stringify({
    id: 'evt_forged',
    type: 'charge.succeeded',
    data: { id: 'ch_forged', status: 'succeeded', amount: 15_000, currency: 'KRW', reference: 'po_forged' },
  });
  const timestamp = Math.floor(Date.now() / 1_000);
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { body, signature: `t=${timestamp},v1=${digest}` };
}

describe('the secrets of a Keel process', () => {
  it.each(Object.keys(SECRETS_OF) as (keyof typeof SECRETS_OF)[])(
    'keep %s from starting outside KEEL_PROFILE=local while unset, and the refusal names each',
    async (name) => {
      const { code, log } = await exitWithoutSecrets(name);
      expect(code).toBe(1);
      expect(log).toMatch(/failed to start: .*invalid environment:/);
      for (const secret of SECRETS_OF[name]) {
        expect(log).toContain(`${secret} is a secret with no default and is not set`);
      }
      expect(log).toContain('or run with KEEL_PROFILE=local');
      expect(log).not.toContain('listening');
    },
  );

  describe('set by the deployment', () => {
    const systemLogs = join(logDirectory, 'system');
    let system: KeelSystem;
    let database: TestDatabase;
    let namespace: TestNamespace;
    const credentials: Record<string, string> = {
      ...ownCredentials(),
      OPERATOR_TOKEN_SECRET: randomBytes(24).toString('hex'),
    };

    beforeAll(async () => {
      database = await createTestDatabase('secrets_executor');
      namespace = await createTestNamespace();
      const ports = {} as Record<SystemProcessName, number>;
      for (const name of SYSTEM_PROCESSES) ports[name] = await freePort();
      const pspPorts = {} as Record<PspId, number>;
      for (const psp of PSP_IDS) pspPorts[psp] = await freePort();
      system = await KeelSystem.start({
        root: workspaceRoot(),
        postgresUrl: resolveEndpoints().databaseUrl,
        databaseOf: () => database.name,
        kafkaBrokers: namespace.brokers,
        topicNamespace: namespace.namespace,
        ports,
        pspPorts,
        logDirectory: systemLogs,
        logLevel: 'debug',
        only: ['psp-sim', 'executor'],
        // No profile: every secret is the deployment's own.
        environment: { KEEL_PROFILE: undefined, SHUTDOWN_DRAIN_DELAY_MS: '0', ...credentials },
      });
    });

    afterAll(async () => {
      await system?.stop();
      await database?.drop();
      await namespace?.delete();
    });

    it("are the ones used, not the simulator's, and no log line of either process holds one", async () => {
      const charges = `${system.pspUrl('acme')}/acme/v1/charges?idempotency_key=po_none`;
      const asDeployed = await fetch(charges, {
        headers: { authorization: `Bearer ${credentials['PSP_SIM_ACME_API_KEY']}` },
      });
      expect(asDeployed.status).toBe(404);
      const withTestKey = await fetch(charges, { headers: { authorization: 'Bearer acme_test_key' } });
      expect(withTestKey.status).toBe(401);

      // The simulator's public webhook secret no longer forges an acme webhook.
      const forged = acmeWebhook('whsec_acme_test');
      const answer = await fetch(`${system.url('executor')}/v1/psp-webhooks/acme`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'acme-signature': forged.signature },
        body: forged.body,
      });
      expect(answer.status).toBe(401);

      await system.stop();
      const logs = readdirSync(systemLogs)
        .map((file) => readFileSync(join(systemLogs, file), 'utf8'))
        .join('\n');
      expect(logs).toContain('service environment');
      for (const [name, value] of Object.entries(credentials)) {
        expect({ name, logged: logs.includes(value) }).toEqual({ name, logged: false });
      }
    });
  });
});
