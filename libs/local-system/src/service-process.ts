import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ServiceProcessOptions {
  name: string;
  entryPoint: string;
  cwd: string;
  environment: NodeJS.ProcessEnv;
  logDirectory: string;
  /** Node.js flags before the entry point, e.g. `--cpu-prof` (which NODE_OPTIONS does not take). */
  nodeArguments?: readonly string[];
}

/** One service as a child process, its output appended to `<logDirectory>/<name>.log`. */
export class ServiceProcess {
  readonly logPath: string;
  private child: ChildProcess | undefined;
  private exitRequested = false;

  constructor(private readonly options: ServiceProcessOptions) {
    mkdirSync(options.logDirectory, { recursive: true });
    this.logPath = join(options.logDirectory, `${options.name}.log`);
  }

  start(onExit: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    this.exitRequested = false;
    const log = createWriteStream(this.logPath, { flags: 'a' });
    const child = spawn(
      process.execPath,
      [...(this.options.nodeArguments ?? []), '-r', '@swc-node/register', this.options.entryPoint],
      {
        cwd: this.options.cwd,
        env: this.options.environment,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // Two pipes into one file: neither may end it (stdout closing first would make stderr's next
    // write throw in the parent). It ends on 'close', once both pipes are done — output can still
    // arrive after 'exit'.
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('exit', (code, signal) => onExit(code, signal));
    child.once('close', () => log.end());
    this.child = child;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether the current run was asked to end (kill or stop): an exit without it is a crash. */
  get stopRequested(): boolean {
    return this.exitRequested;
  }

  isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL at once, as a crash would end it (no shutdown hooks run); resolves once it has exited. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.isRunning()) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.exitRequested = true;
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM for a graceful stop, SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.isRunning()) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.exitRequested = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
