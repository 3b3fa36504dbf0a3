import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './environment-classes';

/** Where tools/deploy-checks/install-tools.sh puts the command-line tools the checks run. */
export const DEPLOY_TOOLS_DIRECTORY = join(repositoryRoot, '.keel', 'tools', 'bin');

/** A tool's path, or an error that says how to install it (`.ci/run` does, from Debian's packages). */
export function deployTool(name: 'promtool' | 'kubectl'): string {
  const path = join(DEPLOY_TOOLS_DIRECTORY, name);
  if (!existsSync(path)) {
    throw new Error(
      `${name} is missing from ${DEPLOY_TOOLS_DIRECTORY}: run \`bash tools/deploy-checks/install-tools.sh\` (Debian packages prometheus and kubernetes-client; npm test does it first)`,
    );
  }
  return path;
}

/** Runs a tool; a failure throws with everything it printed. */
export function runTool(path: string, args: readonly string[], cwd = repositoryRoot): string {
  try {
    return execFileSync(path, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${path} ${args.join(' ')} failed:\n${failed.stdout ?? ''}${failed.stderr ?? failed.message}`,
    );
  }
}
