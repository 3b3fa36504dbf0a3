import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nameFormsOf } from '../names';
import { serviceWiring } from './service-wiring';

const ROOT = join(__dirname, '..', '..', '..', '..');
const COMPOSE = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');

/** `source` (the repository's `file`) with the sample service's wiring steps of that file applied. */
function wired(file: string, source: string): string {
  const steps = serviceWiring({
    names: nameFormsOf('sample', 'service'),
    description: 'samples',
    port: 3007,
    database: 'keel_sample',
  }).filter((step) => step.file === file);
  expect(steps.length).toBeGreaterThan(0);
  return steps.reduce((edited, step) => {
    const next = step.edit(edited);
    if (next === undefined) throw new Error(`no place for: ${step.change}`);
    return next;
  }, source);
}

const wiredCompose = (source: string): string => wired('docker-compose.yml', source);

/** The lines of one top-level service of a compose file, up to the next one. */
function serviceBlock(compose: string, name: string): string[] {
  const lines = compose.split('\n');
  const start = lines.indexOf(`  ${name}:`);
  if (start < 0) return [];
  const end = lines.findIndex((line, at) => at > start && /^ {2}\S/.test(line));
  return lines.slice(start, end < 0 ? undefined : end);
}

describe("the service generator's compose wiring", () => {
  it('connects the new service as its own role, whose password the setup job provisions, once', () => {
    const wired = wiredCompose(COMPOSE);
    const password = '${KEEL_SAMPLE_DATABASE_PASSWORD:-local-keel_sample}';
    expect(serviceBlock(wired, 'sample')).toContain(
      `      DATABASE_URL: postgres://keel_sample:${password}@postgres:5432/keel_sample`,
    );
    expect(serviceBlock(wired, 'setup')).toContain(`      KEEL_SAMPLE_DATABASE_PASSWORD: ${password}`);
    expect(wiredCompose(wired)).toBe(wired);
  });

  it("matches the compose file's own services: each connects as the role the setup job provisions", () => {
    const setup = serviceBlock(COMPOSE, 'setup');
    for (const name of ['payment', 'executor', 'wallet', 'ledger', 'reconciliation', 'ops']) {
      const password = `\${KEEL_${name.toUpperCase()}_DATABASE_PASSWORD:-local-keel_${name}}`;
      expect(setup).toContain(`      KEEL_${name.toUpperCase()}_DATABASE_PASSWORD: ${password}`);
      expect(serviceBlock(COMPOSE, name)).toContain(
        `      DATABASE_URL: postgres://keel_${name}:${password}@postgres:5432/keel_${name}`,
      );
    }
  });

  it('adds the service to compose unpublished, to the Prometheus targets and to the Kubernetes base and dev overlay, once', () => {
    expect(serviceBlock(wiredCompose(COMPOSE), 'sample').some((line) => line.includes('ports:'))).toBe(false);
    const deployFiles = {
      'deploy/prometheus/prometheus.yml': '          - sample:3000',
      'deploy/k8s/base/kustomization.yaml': '  - sample.yaml',
      'deploy/k8s/overlays/dev/kustomization.yaml':
        '      - DATABASE_URL=postgres://keel_sample:local-keel_sample@postgres:5432/keel_sample',
    };
    for (const [file, line] of Object.entries(deployFiles)) {
      const once = wired(file, readFileSync(join(ROOT, file), 'utf8'));
      expect({ file, lines: once.split('\n').filter((candidate) => candidate === line).length }).toEqual({
        file,
        lines: 1,
      });
      expect(wired(file, once)).toBe(once);
    }
    const dev = wired(
      'deploy/k8s/overlays/dev/kustomization.yaml',
      readFileSync(join(ROOT, 'deploy/k8s/overlays/dev/kustomization.yaml'), 'utf8'),
    );
    expect(dev).toContain('      - KEEL_SAMPLE_DATABASE_PASSWORD=local-keel_sample\n');
    expect(dev).toContain('  - name: keel-sample\n    literals:\n');
  });
});
