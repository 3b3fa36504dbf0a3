import { LOCAL_OPERATOR_TOKEN_SECRET, verifyOperatorToken } from '@keel/operator-auth';
import { operatorAuthorizationFor, operatorTokenSettingsFrom } from './operator-tokens';

const SECRET = 'a-deployment-operator-secret-of-32-chars';

describe('operator tokens of tools', () => {
  it('sign with the services secret, else the local one under KEEL_PROFILE=local only', () => {
    expect(operatorTokenSettingsFrom({ OPERATOR_TOKEN_SECRET: SECRET })).toEqual({
      secret: SECRET,
      maxTtlHours: 24,
      clockSkewS: 0,
    });
    expect(operatorTokenSettingsFrom({ KEEL_PROFILE: 'local', OPERATOR_TOKEN_MAX_TTL_HOURS: '8' })).toEqual({
      secret: LOCAL_OPERATOR_TOKEN_SECRET,
      maxTtlHours: 8,
      clockSkewS: 0,
    });
    expect(() => operatorTokenSettingsFrom({})).toThrow(/OPERATOR_TOKEN_SECRET is not set/);
  });

  it('make an Authorization the services verify with that secret', () => {
    const authorization = operatorAuthorizationFor({ OPERATOR_TOKEN_SECRET: SECRET }, 'operator');
    const verdict = verifyOperatorToken(
      authorization.replace(/^Bearer /, ''),
      { secret: SECRET, maxTtlHours: 24, clockSkewS: 0 },
      new Date(),
    );
    expect(verdict).toMatchObject({ valid: true, actor: { role: 'operator', name: 'keel-tool' } });
  });
});
