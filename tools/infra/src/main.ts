import { downKafka, kafkaStatus, upKafka } from './local-kafka';
import { downPostgres, postgresStatus, upPostgres } from './local-postgres';
import { readInfraState, stateDirectory, writeInfraState } from '@keel/local-infra';
import { createCatalogTopics } from './topics';

const COMMANDS = ['up', 'down', 'status'] as const;
type Command = (typeof COMMANDS)[number];

function parseCommand(word: string | undefined): Command {
  const command = COMMANDS.find((candidate) => candidate === word);
  if (command === undefined) throw new Error(`usage: infra up | down | status (got ${word ?? 'nothing'})`);
  return command;
}

/** `infra up | down | status`: the local infrastructure Keel runs and tests on, without Docker. */
async function main(command: Command): Promise<void> {
  const stateDir = stateDirectory();
  const previous = readInfraState();
  switch (command) {
    case 'up': {
      const postgres = await upPostgres(stateDir, previous?.postgres);
      const kafka = await upKafka(stateDir, previous?.kafka);
      writeInfraState({ postgres, kafka });
      const created = await createCatalogTopics(kafka.brokers);
      console.log(await postgresStatus(postgres));
      console.log(await kafkaStatus(kafka));
      if (created.length > 0) console.log(`created topics: ${created.join(', ')}`);
      return;
    }
    case 'down': {
      if (previous === undefined) {
        console.log('nothing was started');
        return;
      }
      console.log(await downKafka(previous.kafka));
      console.log(await downPostgres(previous.postgres));
      return;
    }
    case 'status': {
      if (previous === undefined) {
        console.log('not started: run npm run infra:up');
        process.exitCode = 1;
        return;
      }
      console.log(await postgresStatus(previous.postgres));
      console.log(await kafkaStatus(previous.kafka));
      return;
    }
  }
}

// Exits explicitly, with process.exitCode, rather than waiting for Node's own teardown, which was
// seen to spin for ever in another process of this workspace (jest.config.js); infra runs in CI's
// cleanup, where that would hold the whole run.
Promise.resolve()
  .then(() => main(parseCommand(process.argv[2])))
  .then(
    () => process.exit(),
    (error: unknown) => {
      console.error(`infra: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
