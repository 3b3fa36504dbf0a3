// Validates Kubernetes objects (a JSON array on stdin) against the schemas of their API versions,
// with the models of the kubernetes-models packages (Kubernetes' own OpenAPI definitions, and
// KEDA's CRDs in @kubernetes-models/keda). Prints a JSON array of problems, one per object refused
// or of an API version no package knows. Runs as its own Node process: the packages are ES modules
// only, which jest's module registry cannot load.
import { readFileSync } from 'node:fs';

/** The package that holds the models of an apiVersion (group/version, or version for the core group). */
function modelsModule(apiVersion) {
  if (apiVersion.startsWith('keda.sh/')) return `@kubernetes-models/keda/${apiVersion}`;
  return `kubernetes-models/${apiVersion}`;
}

const objects = JSON.parse(readFileSync(0, 'utf8'));
const problems = [];
for (const object of objects) {
  const name = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  let models;
  try {
    models = await import(modelsModule(object.apiVersion));
  } catch {
    problems.push(`${name}: no models for apiVersion ${object.apiVersion}`);
    continue;
  }
  const Model = models[object.kind];
  if (Model === undefined) {
    problems.push(`${name}: no kind ${object.kind} in ${object.apiVersion}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${name}: ${error.message}`);
  }
}
process.stdout.write(JSON.stringify(problems));
