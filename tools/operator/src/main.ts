import { operatorTokenSettingsFrom } from '@keel/local-system';
import { mintOperatorToken } from '@keel/operator-auth';
import {
  OPERATOR_USAGE,
  OperatorUsageError,
  parseOperatorCommand,
  type OperatorCommand,
} from './operator-command';

function run(command: OperatorCommand): void {
  const { token, claims } = mintOperatorToken(
    { name: command.name, role: command.role, ttlHours: command.ttlHours },
    operatorTokenSettingsFrom(process.env),
    new Date(),
  );
  // The token alone on stdout, so `KEEL_OPERATOR=$(npm run -s operator -- token ...)` takes it.
  process.stdout.write(`${token}\n`);
  console.error(
    `operator token for ${claims.sub} (${claims.role}), id ${claims.jti}, valid until ${new Date(claims.exp * 1_000).toISOString()}`,
  );
  console.error('send it as Authorization: Bearer <token>; audit records name its id, never the token');
}

/** `npm run operator`: mints operator tokens for Keel's internal endpoints. */
function main(): void {
  let command: OperatorCommand;
  try {
    command = parseOperatorCommand(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof OperatorUsageError) && !(error instanceof TypeError)) throw error;
    console.error(`operator: ${error.message}\n${OPERATOR_USAGE}`);
    process.exit(2);
  }
  try {
    run(command);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    console.error(`operator: ${error.message}`);
    process.exit(1);
  }
}

main();
