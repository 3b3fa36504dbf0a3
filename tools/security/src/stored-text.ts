import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { headerAsString, type IncomingRecord } from '@keel/messaging';
import { TEST_CONSUMER_SETTINGS, waitFor } from '@keel/testing';
import { withDatabase, type SecuritySystem } from './security-system';

/** Text a system stored, and where: a table, a topic's record, a log file. */
export interface StoredText {
  readonly where: string;
  readonly text: string;
}

/** Every row of every table of every database of the system, each table's rows as one text. */
export async function tableTexts(sut: SecuritySystem): Promise<StoredText[]> {
  const databases = [...(await sut.databases()).values()];
  const perDatabase = await Promise.all(
    databases.map((database) =>
      withDatabase(database, async (client) => {
        const { rows: tables } = await client.query<{ schema: string; name: string }>(
          `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1, 2`,
        );
        if (tables.length === 0) throw new Error(`database ${database} has no table`);
        const texts: StoredText[] = [];
        for (const table of tables) {
          const { rows } = await client.query<{ row: string }>(
            `SELECT t::text AS row FROM ${client.escapeIdentifier(table.schema)}.${client.escapeIdentifier(table.name)} AS t`,
          );
          texts.push({
            where: `${database}.${table.schema}.${table.name}`,
            text: rows.map((row) => row.row).join('\n'),
          });
        }
        return texts;
      }),
    ),
  );
  return perDatabase.flat();
}

/** Every record of every topic of the system's namespace: key, headers and value. */
export async function topicTexts(sut: SecuritySystem): Promise<StoredText[]> {
  const records = await readNamespace(sut);
  return records.map((record) => ({
    where: `${record.topic}[${record.partition}]@${record.offset}`,
    text: [
      record.key?.toString('utf8') ?? '',
      ...Object.entries(record.headers).map(([name, value]) => `${name}: ${headerAsString(value) ?? ''}`),
      record.value?.toString('utf8') ?? '',
    ].join('\n'),
  }));
}

/** Reads every topic under the namespace from its beginning to its end, in one consumer group. */
export async function readNamespace(sut: SecuritySystem, timeoutMs = 60_000): Promise<IncomingRecord[]> {
  const { kafka, namespace } = sut.namespace;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${namespace}.`));
    if (topics.length === 0) throw new Error(`no topic under the namespace ${namespace}`);
    const groupId = `security-reader-${randomBytes(4).toString('hex')}`;
    const consumer = kafka.consumer({ ...TEST_CONSUMER_SETTINGS, groupId });
    const records: IncomingRecord[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe(topics, true);
      await consumer.run(async (batch) => {
        records.push(...batch.records);
        const last = batch.records.at(-1);
        if (last !== undefined) await batch.commitThrough(last.offset);
      });
      await waitFor(
        async () => {
          const lags = await Promise.all(topics.map((topic) => admin.consumerGroupLag(groupId, topic)));
          return lags.every((lag) => lag === 0n);
        },
        { timeoutMs, intervalMs: 250, description: `every topic of ${namespace} read to its end` },
      );
      return records;
    } finally {
      await consumer.stop();
      await consumer.disconnect();
    }
  } finally {
    await admin.disconnect();
  }
}

/** Every file in the system's log directory, whole. */
export async function logTexts(sut: SecuritySystem): Promise<StoredText[]> {
  const directory = sut.logDirectory();
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  if (files.length === 0) throw new Error(`no log file in ${directory}`);
  return Promise.all(files.map(async (file) => ({ where: file, text: await readFile(file, 'utf8') })));
}
