import { OperatorUsageError, parseOperatorCommand } from './operator-command';

describe('parseOperatorCommand', () => {
  it('reads a token command with its name, role and lifetime', () => {
    expect(
      parseOperatorCommand(['token', '--name', 'ana', '--role', 'operator', '--ttl-hours', '2']),
    ).toEqual({
      kind: 'token',
      name: 'ana',
      role: 'operator',
      ttlHours: 2,
    });
    expect(parseOperatorCommand(['token', '--name', 'ana', '--role', 'viewer'])).toMatchObject({
      ttlHours: undefined,
    });
  });

  it('refuses a missing or unknown command, name or role, and a lifetime that is not above 0', () => {
    for (const argv of [
      [],
      ['mint', '--name', 'ana', '--role', 'viewer'],
      ['token', '--role', 'viewer'],
      ['token', '--name', 'ana'],
      ['token', '--name', 'ana', '--role', 'root'],
      ['token', '--name', 'ana', '--role', 'viewer', '--ttl-hours', '0'],
      ['token', '--name', 'ana', '--role', 'viewer', '--ttl-hours', 'soon'],
      ['token', 'extra', '--name', 'ana', '--role', 'viewer'],
    ]) {
      expect(() => parseOperatorCommand(argv)).toThrow(OperatorUsageError);
    }
    expect(() => parseOperatorCommand(['token', '--name', 'ana', '--role', 'viewer', '--unknown'])).toThrow(
      /Unknown option '--unknown'/,
    );
  });
});
