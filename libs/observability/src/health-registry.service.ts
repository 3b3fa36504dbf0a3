import { BeforeApplicationShutdown } from '@nestjs/common';
import { ObservabilityError, ObservabilityErrorCode, assertPositiveInteger } from './observability.error';

/** Resolves when the dependency is usable; rejects (or never settles) when it is not. */
export type ReadinessCheck = () => Promise<void>;

export interface ReadinessCheckOptions {
  /** Overrides the registry's default timeout for this check. */
  readonly timeoutMs?: number;
  /**
   * False for a dependency whose outage the service rides out (reported on the probe, but the
   * service stays ready): taking every instance out of rotation for it would turn a degraded
   * service into an unreachable one. True by default.
   */
  readonly gatesReadiness?: boolean;
}

export interface HealthRegistryOptions {
  readonly defaultTimeoutMs?: number;
  /** Error texts are cut to this length so one failing check cannot bloat the probe response. */
  readonly errorMessageMaxLength?: number;
  /** How long a probe waits for a check before reporting its last settled result instead. */
  readonly reportWaitMs?: number;
}

export type CheckResult = { readonly status: 'up' } | { readonly status: 'down'; readonly error: string };

export type ReadinessReport =
  | { readonly ready: true; readonly checks: Readonly<Record<string, CheckResult>> }
  | { readonly ready: false; readonly reason: 'shutting-down' }
  | {
      readonly ready: false;
      readonly reason: 'checks-failed';
      readonly checks: Readonly<Record<string, CheckResult>>;
    };

export const DEFAULT_READINESS_TIMEOUT_MS = 2000;
export const DEFAULT_READINESS_ERROR_MAX_LENGTH = 200;
export const DEFAULT_READINESS_REPORT_WAIT_MS = 250;
export const HEALTH_CHECK_NAME_MAX_LENGTH = 64;
const HEALTH_CHECK_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/i;

interface RegisteredCheck {
  readonly check: ReadinessCheck;
  readonly timeoutMs: number;
  readonly gatesReadiness: boolean;
}

/**
 * Named readiness checks that modules add at run time (`register('postgres', () => ping())`),
 * and the shutdown flag that makes the service unready while it drains. ObservabilityModule
 * provides one instance; inject it by this class.
 */
export class HealthRegistry implements BeforeApplicationShutdown {
  private readonly checks = new Map<string, RegisteredCheck>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** The latest settled result of each check. */
  private readonly latestReported = new Map<string, CheckResult>();
  private readonly defaultTimeoutMs: number;
  private readonly errorMessageMaxLength: number;
  private readonly reportWaitMs: number;
  private shuttingDown = false;

  constructor(options: HealthRegistryOptions = {}) {
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
    this.errorMessageMaxLength = options.errorMessageMaxLength ?? DEFAULT_READINESS_ERROR_MAX_LENGTH;
    this.reportWaitMs = options.reportWaitMs ?? DEFAULT_READINESS_REPORT_WAIT_MS;
    assertPositiveInteger('reportWaitMs', this.reportWaitMs);
    assertPositiveInteger('defaultTimeoutMs', this.defaultTimeoutMs);
    assertPositiveInteger('errorMessageMaxLength', this.errorMessageMaxLength);
  }

  register(name: string, check: ReadinessCheck, options: ReadinessCheckOptions = {}): void {
    if (name.length > HEALTH_CHECK_NAME_MAX_LENGTH || !HEALTH_CHECK_NAME_PATTERN.test(name)) {
      throw new ObservabilityError(
        ObservabilityErrorCode.InvalidHealthCheck,
        `health check name must match ${String(HEALTH_CHECK_NAME_PATTERN)} and have at most ${HEALTH_CHECK_NAME_MAX_LENGTH} characters, got ${JSON.stringify(name)}`,
      );
    }
    if (this.checks.has(name)) {
      throw new ObservabilityError(
        ObservabilityErrorCode.DuplicateHealthCheck,
        `health check ${name} is already registered`,
      );
    }
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    assertPositiveInteger(`timeoutMs of health check ${name}`, timeoutMs);
    this.checks.set(name, { check, timeoutMs, gatesReadiness: options.gatesReadiness ?? true });
  }

  unregister(name: string): void {
    this.checks.delete(name);
    this.inFlight.delete(name);
    this.latestReported.delete(name);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  /** From now on the service reports itself unready, so the load balancer stops sending it work. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  beforeApplicationShutdown(): void {
    this.markShuttingDown();
  }

  /**
   * Runs every check concurrently, each bounded by its timeout; only gating checks decide. A check
   * still running after reportWaitMs counts with its latest settled result: a slow dependency is
   * not a lost one (a database answering in 800 ms must not take every instance out of rotation at
   * once), while one that fails, or hangs past its timeout, is down from the next probe on.
   */
  async checkReadiness(): Promise<ReadinessReport> {
    if (this.shuttingDown) return { ready: false, reason: 'shutting-down' };
    const entries = await Promise.all(
      [...this.checks].map(
        async ([name, registered]) =>
          [name, await this.reportWithin(name, registered), registered.gatesReadiness] as const,
      ),
    );
    const checks = Object.fromEntries(entries.map(([name, result]) => [name, result]));
    const ready = entries.every(([, result, gates]) => !gates || result.status === 'up');
    return ready ? { ready, checks } : { ready, reason: 'checks-failed', checks };
  }

  /**
   * The check's result if it settles within reportWaitMs, else its latest settled one (down before
   * the first): a slow dependency must not slow the probe past a balancer's timeout.
   */
  private async reportWithin(name: string, registered: RegisteredCheck): Promise<CheckResult> {
    const fresh = this.run(name, registered).then((result) => {
      this.latestReported.set(name, result);
      return result;
    });
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.reportWaitMs);
    });
    const settled = await Promise.race([fresh, waited]);
    clearTimeout(timer);
    return settled ?? this.latestReported.get(name) ?? { status: 'down', error: 'not checked yet' };
  }

  private async run(name: string, registered: RegisteredCheck): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`timed out after ${registered.timeoutMs} ms`)),
        registered.timeoutMs,
      );
    });
    try {
      await Promise.race([this.invoke(name, registered.check), timeout]);
      return { status: 'up' };
    } catch (error: unknown) {
      return { status: 'down', error: this.describe(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  // A check that hangs is not started again by every probe: later probes wait on the same call,
  // so at most one call per check is ever outstanding.
  private invoke(name: string, check: ReadinessCheck): Promise<void> {
    const running = this.inFlight.get(name);
    if (running !== undefined) return running;
    // Called inside the promise chain so that a synchronous throw also counts as down.
    const started = Promise.resolve()
      .then(check)
      .finally(() => {
        if (this.inFlight.get(name) === started) this.inFlight.delete(name);
      });
    this.inFlight.set(name, started);
    return started;
  }

  private describe(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return message.length > this.errorMessageMaxLength
      ? `${message.slice(0, this.errorMessageMaxLength)}…`
      : message;
  }
}
