import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { workspaceRoot } from '@keel/local-infra';
import { createTestDatabase, type TestDatabase } from '@keel/testing';
import { StatementCounter, statementCounting } from '../src/statement-counter';
import { countsBetween } from '../src/statement-counts';

describe('statement counter preload (real PostgreSQL)', () => {
  let database: TestDatabase;
  let directory: string;
  let child: ChildProcess;
  let nextLine: () => Promise<string>;

  beforeAll(async () => {
    database = await createTestDatabase('bench_statements');
    directory = await mkdtemp(join(tmpdir(), 'keel-statements-'));
    const counting = statementCounting(directory);
    child = spawn(
      process.execPath,
      [...counting.nodeArguments, join(__dirname, 'statement-work.process.ts')],
      {
        cwd: workspaceRoot(),
        env: {
          ...process.env,
          ...counting.environment,
          KEEL_STATEMENT_COUNTER_INTERVAL_MS: '50',
          TEST_DATABASE_URL: database.url,
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const { stdout } = child;
    if (stdout === null) throw new Error('the child has no stdout');
    const lines = createInterface({ input: stdout })[Symbol.asyncIterator]();
    nextLine = async () => String((await lines.next()).value);
    expect(await nextLine()).toBe('ready');
  }, 30_000);

  afterAll(async () => {
    child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
    await database.drop();
  });

  const counter = () =>
    new StatementCounter(directory, [
      { name: 'work', process: { pid: child.pid, isRunning: () => child.exitCode === null } },
    ]);

  async function countsOf(command: 'commit' | 'rollback') {
    const before = (await counter().countsAt(Date.now()))['work'];
    child.stdin?.write(`${command}\n`);
    expect(await nextLine()).toBe('done');
    const after = (await counter().countsAt(Date.now()))['work'];
    if (before === undefined || after === undefined) throw new Error('the child wrote no fresh counts');
    return countsBetween(before, after);
  }

  it('counts a committed transaction: begin, a named prepared statement, a plain query, commit', async () => {
    expect(await countsOf('commit')).toEqual({ statements: 4, begins: 1, commits: 1, rollbacks: 0 });
  });

  it('counts a rolled-back transaction as a rollback, not a commit', async () => {
    expect(await countsOf('rollback')).toEqual({ statements: 3, begins: 1, commits: 0, rollbacks: 1 });
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM counted');
    await client.end();
    expect(rows[0]?.count).toBe('1');
  });
});
