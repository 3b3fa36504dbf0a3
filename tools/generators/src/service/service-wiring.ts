import { addToArrayConstant, addToObjectConstant } from '../wiring/source-edits';
import { insertLinesAfterLast, insertLinesBefore } from '../wiring/text-edits';
import type { WiringStep } from '../wiring/wiring';
import { SERVICE_CATALOG } from '../local-system-ports';
import type { ServiceOptions } from './service-options';

/** The compose variable of a database role's password, and its local placeholder. */
function composePassword(database: string): string {
  const variable = `${database.toUpperCase()}_DATABASE_PASSWORD`;
  return `\${${variable}:-local-${database}}`;
}

function composeService({ names, database }: ServiceOptions): string[] {
  return [
    `  ${names.fileName}:`,
    '    <<: *service',
    `    build: { <<: *keel-image, args: { SERVICE: ${names.fileName} } }`,
    `    image: keel/${names.fileName}:local`,
    '    environment:',
    '      <<: *service-environment',
    `      DATABASE_URL: postgres://${database}:${composePassword(database)}@postgres:5432/${database}`,
    '',
  ];
}

/** The dev overlay's generated Secret of the service: its DATABASE_URL as its own role. */
function devSecret({ names, database }: ServiceOptions): string[] {
  return [
    `  - name: keel-${names.fileName}`,
    '    literals:',
    `      - DATABASE_URL=postgres://${database}:local-${database}@postgres:5432/${database}`,
  ];
}

/** Every existing file that names each service, and what the new one adds to it. */
export function serviceWiring(options: ServiceOptions): WiringStep[] {
  const { names, port, database, description } = options;
  const name = names.fileName;
  const quoted = `'${name}'`;
  return [
    {
      file: 'tools/lint/module-boundaries.mjs',
      change: `${quoted} in serviceScopes, so that scope:${name} may import only its own scope and scope:shared`,
      edit: addToArrayConstant('serviceScopes', quoted),
    },
    {
      file: SERVICE_CATALOG,
      change: `${quoted} in SYSTEM_PROCESSES, before 'payment' (which starts last)`,
      edit: addToArrayConstant('SYSTEM_PROCESSES', quoted, { before: "'payment'" }),
    },
    {
      file: SERVICE_CATALOG,
      change: `${quoted} in KEEL_SERVICES, so that npm start, the tests' systems and chaos run it on keel_${name}`,
      edit: addToArrayConstant('KEEL_SERVICES', quoted),
    },
    {
      file: SERVICE_CATALOG,
      change: `${name}: ${port} in DEFAULT_PORTS`,
      edit: addToObjectConstant('DEFAULT_PORTS', name, String(port)),
    },
    {
      file: 'tools/infra/src/local-postgres.ts',
      change: `'${database}' in SERVICE_DATABASES, so that npm run infra:up creates it`,
      edit: addToArrayConstant('SERVICE_DATABASES', `'${database}'`),
    },
    {
      file: 'docker-compose.yml',
      change: `the password of role ${database} for the setup job, which provisions it`,
      edit: insertLinesAfterLast(
        /^ {6}KEEL_\w+_DATABASE_PASSWORD: /,
        [`      ${database.toUpperCase()}_DATABASE_PASSWORD: ${composePassword(database)}`],
        `      ${database.toUpperCase()}_DATABASE_PASSWORD: `,
      ),
    },
    {
      file: 'docker-compose.yml',
      change: `a ${name} service with its database ${database} as its own role (not published on the host)`,
      edit: insertLinesBefore(
        /^ {2}# Mints Prometheus's operator token/,
        composeService(options),
        `SERVICE: ${name} }`,
      ),
    },
    {
      file: 'deploy/prometheus/prometheus.yml',
      change: `${name}:3000 among the targets Prometheus scrapes`,
      edit: insertLinesAfterLast(
        /^ {10}- [a-z][a-z0-9-]*:3000$/,
        [`          - ${name}:3000`],
        `- ${name}:3000`,
      ),
    },
    {
      file: 'deploy/k8s/base/kustomization.yaml',
      change: `${name}.yaml (its StatefulSet, Service, ConfigMap and disruption budget) among the base's resources`,
      edit: insertLinesAfterLast(/^ {2}- [a-z][a-z0-9-]*\.yaml$/, [`  - ${name}.yaml`], `- ${name}.yaml`),
    },
    {
      file: 'deploy/k8s/overlays/dev/kustomization.yaml',
      change: `the password of role ${database} for the dev overlay's setup job`,
      edit: insertLinesAfterLast(
        /^ {6}- KEEL_\w+_DATABASE_PASSWORD=/,
        [`      - ${database.toUpperCase()}_DATABASE_PASSWORD=local-${database}`],
        `- ${database.toUpperCase()}_DATABASE_PASSWORD=`,
      ),
    },
    {
      file: 'deploy/k8s/overlays/dev/kustomization.yaml',
      change: `the dev overlay's Secret keel-${name} (its DATABASE_URL)`,
      edit: insertLinesBefore(
        /^ {2}# Empty: KEEL_PROFILE=local signs operator tokens/,
        devSecret(options),
        `name: keel-${name}\n`,
      ),
    },
    {
      file: 'README.md',
      change: `the row of apps/${name} in the Layout table`,
      edit: insertLinesBefore(
        /^\| `apps\/psp-sim`/,
        [`| \`apps/${name}\` | ${description} |`],
        `| \`apps/${name}\``,
      ),
    },
    {
      file: 'docs/architecture.md',
      change: `the row of ${name} in the table of services`,
      edit: insertLinesBefore(
        /^\| `psp-sim`/,
        [`| \`${name}\` | ${description} ([README](../apps/${name}/README.md)) | – |`],
        `| \`${name}\` |`,
      ),
    },
  ];
}

/** What a new service still needs that only its author can decide. */
export function serviceFollowUps({ names, port }: ServiceOptions): string[] {
  const name = names.fileName;
  return [
    `apps/${name}/README.md: what the service owns, its API, events, tables and configuration as they come`,
    `docs/configuration.md: \`npm run docs:config\` once its environment has variables of its own (a test compares them)`,
    `deploy/k8s/base/${name}.yaml: its network policies (base/network-policies.yaml) once it has an API or talks to more than Kafka and its database`,
    `README.md (the paragraph on npm start) and docs/architecture.md (services, "npm start runs …"): ${name} on port ${port}`,
    `events: define its topics and event types in libs/contracts first, then list the topics it consumes in ${name}.module.ts (consumes)`,
    `chaos: add '${name}' to SERVICES in tools/chaos/src/schedule/fault-schedule.ts for the chaos run to fault it (it changes the schedule every seed draws)`,
    `decisions in plain TypeScript go in a libs/${name}/domain project (tags scope:${name}, type:domain) once there are any`,
  ];
}
