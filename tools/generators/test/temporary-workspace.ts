import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** What the workspace's root holds that is not source: installed, built, cached or local state. */
const NOT_COPIED = new Set(['node_modules', '.git', '.keel', '.nx', 'dist', 'coverage', 'tmp']);

export interface CommandResult {
  /** null when the command was killed (its time ran out). */
  readonly exitCode: number | null;
  /** stdout and stderr, interleaved as they came. */
  readonly output: string;
}

/**
 * A copy of the workspace's files in a temporary folder, sharing its node_modules, in which
 * generators can write and the workspace's own tools (nx, tsc, eslint, prettier, jest) can run.
 */
export class TemporaryWorkspace {
  private constructor(
    readonly root: string,
    private readonly sourceRoot: string,
  ) {}

  static copyOf(sourceRoot: string): TemporaryWorkspace {
    const root = mkdtempSync(join(tmpdir(), 'keel-generators-'));
    cpSync(sourceRoot, root, {
      recursive: true,
      filter: (path) => dirname(path) !== sourceRoot || !NOT_COPIED.has(basename(path)),
    });
    symlinkSync(join(sourceRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
    return new TemporaryWorkspace(root, sourceRoot);
  }

  /**
   * Runs a tool of node_modules/.bin on the Node that runs this test (the one engines names), in
   * the copy, with Nx's daemon and plugin workers off (each would outlive or slow a one-off
   * command) and the workspace's own local infrastructure (`npm run infra:up` records it there).
   */
  run(tool: string, args: readonly string[], timeoutMs: number): Promise<CommandResult> {
    const script = realpathSync(join(this.sourceRoot, 'node_modules', '.bin', tool));
    const environment: NodeJS.ProcessEnv = {
      ...process.env,
      NX_DAEMON: 'false',
      NX_ISOLATE_PLUGINS: 'false',
      // Plain output: the test reads nx's CREATE and UPDATE lines.
      FORCE_COLOR: '0',
      NO_COLOR: '1',
      KEEL_STATE_DIR: resolve(process.env['KEEL_STATE_DIR'] ?? join(this.sourceRoot, '.keel')),
    };
    delete environment['JEST_WORKER_ID'];
    return new Promise((settle, reject) => {
      const child = spawn(process.execPath, [script, ...args], {
        cwd: this.root,
        env: environment,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: timeoutMs,
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('close', (exitCode) => settle({ exitCode, output }));
    });
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
