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

function composeService({ names, port, database }: ServiceOptions): string[] {
  return [
    `  ${names.fileName}:`,
    '    <<: *service',
    `    build: { context: ., dockerfile: deploy/Dockerfile, args: { SERVICE: ${names.fileName} } }`,
    '    environment:',
    '      <<: *service-environment',
    `      DATABASE_URL: postgres://${database}:${composePassword(database)}@postgres:5432/${database}`,
    `    ports: ['${port}:3000']`,
    '',
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
      change: `a ${name} service on port ${port} with its database ${database} as its own role`,
      edit: insertLinesBefore(/^volumes:/, composeService(options), `SERVICE: ${name} }`),
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
    `README.md (the paragraph on npm start) and docs/architecture.md (services, "npm start runs …"): ${name} on port ${port}`,
    `events: define its topics and event types in libs/contracts first, then list the topics it consumes in ${name}.module.ts (consumes)`,
    `chaos: add '${name}' to SERVICES in tools/chaos/src/schedule/fault-schedule.ts for the chaos run to fault it (it changes the schedule every seed draws)`,
    `decisions in plain TypeScript go in a libs/${name}/domain project (tags scope:${name}, type:domain) once there are any`,
  ];
}
