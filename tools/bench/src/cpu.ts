import { readFile } from 'node:fs/promises';

/** User plus system CPU time of a process, in clock ticks, from `/proc/<pid>/stat`. */
export function parseProcStatTicks(stat: string): number {
  // The command name (field 2) may hold spaces and parentheses, so fields are counted after its ')'.
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, i.e. 11 and 12 after the name and state.
  const utime = Number(afterName[11]);
  const stime = Number(afterName[12]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime))
    throw new Error(`unreadable /proc stat line: ${stat}`);
  return utime + stime;
}

/** Linux's USER_HZ: what `getconf CLK_TCK` prints on every mainstream architecture. */
export const CLOCK_TICKS_PER_S = 100;

/** CPU used between two samples as a percentage of one core (200 % = two cores busy). */
export function cpuPercentOfOneCore(ticksBefore: number, ticksAfter: number, wallMs: number): number {
  if (wallMs <= 0) return 0;
  return (100 * ((ticksAfter - ticksBefore) / CLOCK_TICKS_PER_S)) / (wallMs / 1_000);
}

/** The process's CPU ticks so far, or undefined once it has gone. */
export async function cpuTicksOf(pid: number): Promise<number | undefined> {
  try {
    return parseProcStatTicks(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}
