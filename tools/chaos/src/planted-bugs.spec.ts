import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@keel/local-infra';
import { CHAOS_BREAK_NAMES, PLANTED_BUGS } from './planted-bugs';

/** The patterns of files the build (`npm run build`, swc with the root .swcrc) leaves out. */
function buildExclusions(): RegExp[] {
  const swcrc = JSON.parse(readFileSync(join(workspaceRoot(), '.swcrc'), 'utf8')) as { exclude: string[] };
  return swcrc.exclude.map((pattern) => new RegExp(pattern));
}

describe('PLANTED_BUGS', () => {
  it.each(CHAOS_BREAK_NAMES)('%s starts from entry points that exist and the build leaves out', (name) => {
    const entryPoints = Object.values(PLANTED_BUGS[name].entryPoints);
    expect(entryPoints.length).toBeGreaterThan(0);
    const exclusions = buildExclusions();
    for (const entryPoint of entryPoints) {
      expect(existsSync(join(workspaceRoot(), entryPoint))).toBe(true);
      expect(exclusions.some((pattern) => pattern.test(entryPoint))).toBe(true);
    }
  });
});
