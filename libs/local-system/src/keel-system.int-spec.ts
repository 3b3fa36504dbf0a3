import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@keel/local-infra';
import { waitFor } from '@keel/testing';
import { freePort } from './free-port.util';
import { KeelSystem, type UnexpectedExitListener } from './keel-system';
import { PSP_IDS, SYSTEM_PROCESSES, type PspId, type SystemProcessName } from './service-catalog';

const ENTRY_POINT = join('libs', 'local-system', 'src', '__fixtures__', 'answering-entry-point.ts');

describe('KeelSystem', () => {
  const logDirectory = mkdtempSync(join(tmpdir(), 'keel-system-'));
  afterAll(() => rmSync(logDirectory, { recursive: true, force: true }));

  /** psp-sim alone, from the stand-in entry point; `onCrash` hears of exits nobody asked for. */
  async function standInSystem(onCrash?: UnexpectedExitListener): Promise<KeelSystem> {
    const ports = {} as Record<SystemProcessName, number>;
    for (const name of SYSTEM_PROCESSES) ports[name] = await freePort();
    const pspPorts = {} as Record<PspId, number>;
    for (const psp of PSP_IDS) pspPorts[psp] = await freePort();
    return KeelSystem.start(
      {
        root: workspaceRoot(),
        postgresUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
        kafkaBrokers: ['127.0.0.1:19092'],
        ports,
        pspPorts,
        logDirectory,
        only: ['psp-sim'],
        entryPoints: { 'psp-sim': ENTRY_POINT },
        readyTimeoutMs: 30_000,
      },
      onCrash,
    );
  }

  it('tells a crash from a kill it was asked for', async () => {
    const crashed: [SystemProcessName, boolean][] = [];
    const system = await standInSystem((name, _logPath, afterReady) => crashed.push([name, afterReady]));
    try {
      await system.process('psp-sim').kill();
      await system.restart('psp-sim');
      expect(crashed).toEqual([]);

      process.kill(system.process('psp-sim').pid ?? 0, 'SIGKILL');
      await waitFor(() => crashed.length > 0, { description: 'the crash to be reported' });
      // It had been ready since its restart: a crash, not a failed start.
      expect(crashed).toEqual([['psp-sim', true]]);
    } finally {
      await system.stop();
    }
  });

  it('starts a process from the entry point given for it', async () => {
    const system = await standInSystem();
    try {
      const response = await fetch(`${system.url('psp-sim')}/health/live`);
      expect(await response.text()).toBe(join(workspaceRoot(), ENTRY_POINT));
    } finally {
      await system.stop();
    }
  });
});
