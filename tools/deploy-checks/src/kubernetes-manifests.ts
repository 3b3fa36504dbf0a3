import { execFileSync } from 'node:child_process';
import { globSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { deployTool, runTool } from './deploy-tools';
import { repositoryRoot } from './environment-classes';

/** A rendered Kubernetes object, as far as the checks read it. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
}

/** The overlays of deploy/k8s, each a folder with a kustomization.yaml. */
export function kubernetesOverlays(): string[] {
  return globSync('deploy/k8s/overlays/*/kustomization.yaml', { cwd: repositoryRoot })
    .map((file) => file.split('/').at(-2) ?? file)
    .sort();
}

/** An overlay rendered by kustomize (kubectl's built-in one, from .keel/tools). */
export function renderOverlay(overlay: string): KubernetesObject[] {
  const rendered = runTool(deployTool('kubectl'), ['kustomize', join('deploy/k8s/overlays', overlay)]);
  return parseAllDocuments(rendered)
    .map((document) => document.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null);
}

/** The schema problems of `objects` (validate-kubernetes-objects.mjs, in its own Node process). */
export function schemaProblems(objects: readonly KubernetesObject[]): string[] {
  const output = execFileSync(process.execPath, [join(__dirname, 'validate-kubernetes-objects.mjs')], {
    cwd: repositoryRoot,
    input: JSON.stringify(objects),
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[];
}

/** The models' module of an object's type, as validate-kubernetes-objects.mjs finds it. */
function typesModule(object: KubernetesObject): string {
  const models = object.apiVersion.startsWith('keda.sh/') ? '@kubernetes-models/keda' : 'kubernetes-models';
  return `${models}/${object.apiVersion}/${object.kind}`;
}

/**
 * Fields the API does not define (a misspelt `livenesProbe` passes the schemas, which allow any
 * other property): each object is written as a literal of its kubernetes-models type and
 * TypeScript's excess-property check reads them all at once. Returns tsc's errors.
 */
export function unknownFieldProblems(objects: readonly KubernetesObject[]): string[] {
  const scratch = join(repositoryRoot, '.keel', 'deploy-checks');
  mkdirSync(scratch, { recursive: true });
  const directory = mkdtempSync(join(scratch, 'objects-'));
  try {
    const source = objects.flatMap((object, position) => [
      `import type { I${object.kind} as T${position} } from '${typesModule(object)}';`,
      `// ${object.kind} ${object.metadata.name}`,
      `export const object${position}: T${position} = ${JSON.stringify(object)};`,
    ]);
    writeFileSync(join(directory, 'objects.ts'), `${source.join('\n')}\n`);
    const compilerOptions = {
      strict: true,
      noEmit: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      skipLibCheck: true,
      types: [],
    };
    writeFileSync(
      join(directory, 'tsconfig.json'),
      JSON.stringify({ compilerOptions, files: ['objects.ts'] }),
    );
    try {
      execFileSync(
        process.execPath,
        [join(repositoryRoot, 'node_modules/typescript/bin/tsc'), '-p', directory],
        {
          encoding: 'utf8',
        },
      );
      return [];
    } catch (error) {
      const output = (error as { stdout?: string }).stdout ?? String(error);
      return output.split('\n').filter((line) => line.includes('error TS'));
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
