import type { ApiKeyRecord } from '@keel/api-keys';
import { localApiKeyStore } from '@keel/local-system';
import { KEYS_USAGE, KeysUsageError, parseKeysCommand, type KeysCommand } from './keys-command';

const dateOf = (date: Date | null): string => (date === null ? '-' : date.toISOString());

function describeKey(key: ApiKeyRecord): string {
  return [
    key.prefix.padEnd(18),
    key.merchantId,
    key.mode,
    `created ${dateOf(key.createdAt)}`,
    `expires ${dateOf(key.expiresAt)}`,
    `revoked ${dateOf(key.revokedAt)}`,
    key.name === '' ? '' : JSON.stringify(key.name),
  ]
    .join('  ')
    .trimEnd();
}

async function run(command: KeysCommand): Promise<void> {
  const store = localApiKeyStore();
  switch (command.kind) {
    case 'create': {
      const { key, record } = await store.create({
        merchantId: command.merchantId,
        mode: command.mode,
        name: command.name,
        expiresAt: command.expiresAt,
      });
      // The key alone on stdout, so `KEEL_KEY=$(npm run -s keys -- create ...)` takes it.
      process.stdout.write(`${key}\n`);
      console.error(`created ${describeKey(record)}`);
      console.error('the key is shown once: Keel stores only its hash');
      if (record.mode === 'live')
        console.error('note: the payment API refuses live keys until Keel has live PSP credentials');
      return;
    }
    case 'list': {
      const keys = await store.list(command.merchantId);
      if (keys.length === 0) console.error(`no keys for ${command.merchantId}`);
      for (const key of keys) console.log(describeKey(key));
      return;
    }
    case 'revoke': {
      const key = await store.revoke(command.prefix, command.at);
      console.log(`revoked ${describeKey(key)}`);
      console.error('payment instances refuse it within API_KEY_CACHE_TTL_MS (30 s by default) of that time');
      return;
    }
  }
}

/** `npm run keys`: creates, lists and revokes merchants' API keys in the payment database. */
async function main(): Promise<void> {
  let command: KeysCommand;
  try {
    command = parseKeysCommand(process.argv.slice(2), new Date());
  } catch (error) {
    if (!(error instanceof KeysUsageError) && !(error instanceof TypeError)) throw error;
    console.error(`keys: ${error.message}\n${KEYS_USAGE}`);
    process.exit(2);
  }
  await run(command);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const hint = /relation "api_keys" does not exist/.test(message)
    ? ' (the payment service creates the table when it starts: run npm start first)'
    : '';
  console.error(`keys: ${message}${hint}`);
  process.exit(1);
});
