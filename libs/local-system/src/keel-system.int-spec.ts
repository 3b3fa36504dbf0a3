import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@keel/local-infra';
import { freePort } from './free-port.util';
import { KeelSystem } from './keel-system';
import { PSP_IDS, SYSTEM_PROCESSES, type PspId, type SystemProcessName } from './service-catalog';

const ENTRY_POINT = join('libs', 'local-system', 'src', '__fixtures__', 'answering-entry-point.ts');

describe('KeelSystem', () => {
  const logDirectory = mkdtempSync(join(tmpdir(), 'keel-system-'));
  afterAll(() => rmSync(logDirectory, { recursive: true, force: true }));

  it('starts a process from the entry point given for it', async () => {
    const ports = {} as Record<SystemProcessName, number>;
    for (const name of SYSTEM_PROCESSES) ports[name] = await freePort();
    const pspPorts = {} as Record<PspId, number>;
    for (const psp of PSP_IDS) pspPorts[psp] = await freePort();
    const system = await KeelSystem.start({
      root: workspaceRoot(),
      postgresUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      kafkaBrokers: ['127.0.0.1:19092'],
      ports,
      pspPorts,
      logDirectory,
      only: ['psp-sim'],
      entryPoints: { 'psp-sim': ENTRY_POINT },
      readyTimeoutMs: 30_000,
    });
    try {
      const response = await fetch(`${system.url('psp-sim')}/health/live`);
      expect(await response.text()).toBe(join(workspaceRoot(), ENTRY_POINT));
    } finally {
      await system.stop();
    }
  });
});
