import { readdir, readFile } from 'node:fs/promises';
import { parseProcStatTicks } from './cpu';

/** The processes outside Keel's services that a payment also costs, as the report names them. */
export const SHARED_PROCESS_GROUPS = ['postgresql', 'kafka broker'] as const;
export type SharedProcessGroup = (typeof SHARED_PROCESS_GROUPS)[number];

/** The key of the whole machine's busy CPU (every process, other work on the machine too). */
export const WHOLE_MACHINE = 'machine';

/**
 * Which shared group a process belongs to, from its `/proc/<pid>/cmdline` (NUL-separated):
 * PostgreSQL's server processes (its background workers and the backends connected to one of
 * `databases`: the bench's own, not other work's), or the Kafka broker. Undefined otherwise.
 */
export function sharedGroupOf(
  cmdline: string,
  databases: ReadonlySet<string>,
): SharedProcessGroup | undefined {
  const words = cmdline.split('\0').filter((word) => word !== '');
  const title = words.join(' ');
  if (title.startsWith('postgres: ')) {
    // A backend's title is `postgres: [cluster: ]<user> <database> <client> <state>`; a background
    // worker's names what it is (`checkpointer`, `walwriter`, …) and no database.
    const backend =
      /^postgres: (?:\S+: )?\S+ (\S+) \S+\(\d+\)/.exec(title) ??
      /^postgres: (?:\S+: )?\S+ (\S+) \[local\]/.exec(title);
    if (backend === null) return 'postgresql';
    return databases.has(backend[1]) ? 'postgresql' : undefined;
  }
  if (words.some((word) => word === 'kafka.Kafka')) return 'kafka broker';
  return undefined;
}

/** Busy CPU ticks of the whole machine so far, from the first line of `/proc/stat`. */
export function parseMachineBusyTicks(procStat: string): number {
  const fields = procStat.split('\n')[0].trim().split(/\s+/);
  if (fields[0] !== 'cpu') throw new Error(`unreadable /proc/stat: ${fields.join(' ')}`);
  const ticks = fields.slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is in user already.
  const [user, nice, system, , , irq, softirq, steal] = ticks;
  return user + nice + system + irq + softirq + steal;
}

/** CPU ticks so far of each shared group and of the whole machine. */
export async function sharedCpuTicks(databases: ReadonlySet<string>): Promise<Map<string, number>> {
  const ticks = new Map<string, number>([
    [WHOLE_MACHINE, parseMachineBusyTicks(await readFile('/proc/stat', 'utf8'))],
  ]);
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  await Promise.all(
    pids.map(async (pid) => {
      try {
        const group = sharedGroupOf(await readFile(`/proc/${pid}/cmdline`, 'utf8'), databases);
        if (group === undefined) return;
        const used = parseProcStatTicks(await readFile(`/proc/${pid}/stat`, 'utf8'));
        ticks.set(group, (ticks.get(group) ?? 0) + used);
      } catch {
        // The process ended between the listing and the read: its ticks are gone with it.
      }
    }),
  );
  return ticks;
}
