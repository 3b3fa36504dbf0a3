import { readFile, writeFile } from 'node:fs/promises';

/** What the kernel says of a process's memory (`/proc/<pid>/status`), in bytes. */
export interface ProcessMemory {
  /** VmHWM: the resident set's peak since the process started, or since `resetPeakRss`. */
  readonly peakRssBytes: number;
  /** VmRSS: the resident set now. */
  readonly rssBytes: number;
}

function kibibytesOf(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (match?.[1] === undefined) throw new Error(`no ${field} in /proc status`);
  return Number(match[1]) * 1_024;
}

export function parseProcStatusMemory(status: string): ProcessMemory {
  return { peakRssBytes: kibibytesOf(status, 'VmHWM'), rssBytes: kibibytesOf(status, 'VmRSS') };
}

export async function processMemoryOf(pid: number): Promise<ProcessMemory> {
  return parseProcStatusMemory(await readFile(`/proc/${pid}/status`, 'utf8'));
}

/**
 * Sets VmHWM back to the current resident set (Linux ≥ 4.0, `5` to `clear_refs`), so the peak read
 * after a phase is that phase's own and not what the process reached earlier.
 */
export async function resetPeakRss(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}
