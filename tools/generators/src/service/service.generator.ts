import { formatFiles, generateFiles, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { applyWiring, printWiringReport } from '../wiring/wiring';
import { serviceOptionsOf, type ServiceGeneratorOptions } from './service-options';
import { serviceFollowUps, serviceWiring } from './service-wiring';

/**
 * `nx g @keel/generators:service <name> --description "…"`: a new service in apps/<name> in the
 * shape of every Keel service (docs/architecture.md, "Where code goes"), wired into the lint
 * rules, the local system, the local databases, the compose file, Prometheus, the Kubernetes
 * manifests and the docs.
 */
export async function serviceGenerator(
  tree: Tree,
  generatorOptions: ServiceGeneratorOptions,
): Promise<() => void> {
  const options = serviceOptionsOf(tree, generatorOptions);
  generateFiles(tree, join(__dirname, 'files'), `apps/${options.names.fileName}`, {
    ...options.names,
    description: options.description,
    port: options.port,
    database: options.database,
    tmpl: '',
  });
  // Its Kubernetes manifests, beside every other service's (deploy/k8s/base).
  generateFiles(tree, join(__dirname, 'deploy-files'), '.', {
    ...options.names,
    description: options.description,
    tmpl: '',
  });
  const report = applyWiring(tree, serviceWiring(options));
  await formatFiles(tree);
  return () => printWiringReport(report, serviceFollowUps(options));
}
