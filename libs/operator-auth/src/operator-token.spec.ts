import {
  mintOperatorToken,
  OperatorTokenError,
  verifyOperatorToken,
  type OperatorTokenSettings,
} from './operator-token';
import { OPERATOR_ROLES, roleSatisfies } from './operator-role';
import { createHmac } from 'node:crypto';

const SETTINGS: OperatorTokenSettings = {
  secret: 'an-operator-secret-of-at-least-thirty-two-chars',
  maxTtlHours: 24,
  clockSkewS: 60,
};
const NOW = new Date('2026-12-07T12:00:00Z');
const HOUR_MS = 3_600_000;

const at = (offsetMs: number): Date => new Date(NOW.getTime() + offsetMs);

/** A token signed like a real one over claims of the test's choosing. */
function signed(claims: unknown, secret = SETTINGS.secret): string {
  const segment = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `op_${segment}.${createHmac('sha256', secret).update(segment, 'ascii').digest('base64url')}`;
}

describe('operator tokens', () => {
  it('mint op_<claims>.<signature> that verifies to its actor until it expires', () => {
    const { token, claims } = mintOperatorToken(
      { name: 'ana', role: 'operator', ttlHours: 2 },
      SETTINGS,
      NOW,
    );
    expect(token).toMatch(/^op_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(claims).toMatchObject({ sub: 'ana', role: 'operator', iat: NOW.getTime() / 1000 });
    expect(claims.exp - claims.iat).toBe(2 * 3600);
    expect(verifyOperatorToken(token, SETTINGS, at(HOUR_MS))).toEqual({
      valid: true,
      actor: { name: 'ana', role: 'operator', tokenId: claims.jti },
      expiresAt: new Date(claims.exp * 1000),
    });
    expect(verifyOperatorToken(token, SETTINGS, at(2 * HOUR_MS))).toEqual({
      valid: false,
      reason: 'expired',
    });
  });

  it('give every token its own id and the longest lifetime when none is asked', () => {
    const first = mintOperatorToken({ name: 'ana', role: 'viewer' }, SETTINGS, NOW);
    const second = mintOperatorToken({ name: 'ana', role: 'viewer' }, SETTINGS, NOW);
    expect(first.claims.jti).not.toBe(second.claims.jti);
    expect(first.claims.exp - first.claims.iat).toBe(24 * 3600);
  });

  it('refuse a tampered token: changed claims, changed signature, or claims of another token', () => {
    const { token } = mintOperatorToken({ name: 'ana', role: 'viewer' }, SETTINGS, NOW);
    const [claimsSegment = '', signature = ''] = token.slice(3).split('.');
    const promoted = Buffer.from(
      Buffer.from(claimsSegment, 'base64url').toString('utf8').replace('"viewer"', '"admin"'),
    ).toString('base64url');
    expect(verifyOperatorToken(`op_${promoted}.${signature}`, SETTINGS, NOW)).toEqual({
      valid: false,
      reason: 'bad_signature',
    });
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`;
    expect(verifyOperatorToken(`op_${claimsSegment}.${flipped}`, SETTINGS, NOW)).toMatchObject({
      valid: false,
    });
    const other = mintOperatorToken({ name: 'bob', role: 'admin' }, SETTINGS, NOW).token;
    expect(verifyOperatorToken(`op_${claimsSegment}.${other.split('.')[1]}`, SETTINGS, NOW)).toEqual({
      valid: false,
      reason: 'bad_signature',
    });
  });

  it('refuse another spelling of the same signature bytes (stray low bits in its last character)', () => {
    const { token } = mintOperatorToken({ name: 'ana', role: 'viewer' }, SETTINGS, NOW);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.slice(-1));
    const respelled = `${token.slice(0, -1)}${alphabet[last ^ 1] ?? ''}`;
    expect(Buffer.from(respelled.split('.')[1] ?? '', 'base64url')).toEqual(
      Buffer.from(token.split('.')[1] ?? '', 'base64url'),
    );
    expect(verifyOperatorToken(respelled, SETTINGS, NOW)).toEqual({ valid: false, reason: 'bad_signature' });
  });

  it('refuse a token signed with another secret', () => {
    const { token } = mintOperatorToken(
      { name: 'ana', role: 'admin' },
      { ...SETTINGS, secret: `${SETTINGS.secret}-other` },
      NOW,
    );
    expect(verifyOperatorToken(token, SETTINGS, NOW)).toEqual({ valid: false, reason: 'bad_signature' });
  });

  it('refuse a token issued ahead of the clock beyond the skew, and accept one within it', () => {
    const ahead = mintOperatorToken({ name: 'ana', role: 'viewer' }, SETTINGS, at(61_000)).token;
    expect(verifyOperatorToken(ahead, SETTINGS, NOW)).toEqual({ valid: false, reason: 'not_yet_valid' });
    const slightly = mintOperatorToken({ name: 'ana', role: 'viewer' }, SETTINGS, at(59_000)).token;
    expect(verifyOperatorToken(slightly, SETTINGS, NOW)).toMatchObject({ valid: true });
  });

  it('refuse a signed token whose lifetime exceeds the maximum, or whose role is unknown', () => {
    const iat = NOW.getTime() / 1000;
    const long = signed({ sub: 'ana', role: 'viewer', iat, exp: iat + 25 * 3600, jti: 'j1' });
    expect(verifyOperatorToken(long, SETTINGS, NOW)).toEqual({ valid: false, reason: 'lifetime_too_long' });
    const root = signed({ sub: 'ana', role: 'root', iat, exp: iat + 3600, jti: 'j1' });
    expect(verifyOperatorToken(root, SETTINGS, NOW)).toEqual({ valid: false, reason: 'unknown_role' });
  });

  it('refuse malformed tokens, signed or not', () => {
    const iat = NOW.getTime() / 1000;
    const { token } = mintOperatorToken({ name: 'ana', role: 'viewer' }, SETTINGS, NOW);
    for (const candidate of [
      '',
      'op_',
      token.slice(3),
      `${token}x`,
      token.replace('.', ''),
      `op_${'a'.repeat(2_000)}.${'b'.repeat(43)}`,
      signed('a string'),
      signed([1, 2]),
      signed({ sub: 'ana', role: 'viewer', iat, exp: iat, jti: 'j1' }),
      signed({ sub: 'ana', role: 'viewer', iat: `${iat}`, exp: iat + 60, jti: 'j1' }),
      signed({ sub: 'a b', role: 'viewer', iat, exp: iat + 60, jti: 'j1' }),
      signed({ sub: 'ana', role: 'viewer', iat, exp: iat + 60 }),
      `op_${Buffer.from('{not json').toString('base64url')}.${'A'.repeat(43)}`,
    ]) {
      expect(verifyOperatorToken(candidate, SETTINGS, NOW)).toMatchObject({ valid: false });
    }
    expect(
      verifyOperatorToken(signed({ sub: 'ana', role: 'viewer', iat, exp: iat, jti: 'j1' }), SETTINGS, NOW),
    ).toEqual({ valid: false, reason: 'malformed' });
  });

  it('mint nothing for a bad name, an unknown role or a lifetime beyond the maximum', () => {
    expect(() => mintOperatorToken({ name: 'a b', role: 'viewer' }, SETTINGS, NOW)).toThrow(
      OperatorTokenError,
    );
    expect(() => mintOperatorToken({ name: '4111111111111111', role: 'viewer' }, SETTINGS, NOW)).toThrow(
      OperatorTokenError,
    );
    expect(() =>
      mintOperatorToken({ name: 'ana', role: 'root' as unknown as 'viewer' }, SETTINGS, NOW),
    ).toThrow(OperatorTokenError);
    expect(() => mintOperatorToken({ name: 'ana', role: 'viewer', ttlHours: 25 }, SETTINGS, NOW)).toThrow(
      /at most 24 hours/,
    );
    expect(() => mintOperatorToken({ name: 'ana', role: 'viewer', ttlHours: 0 }, SETTINGS, NOW)).toThrow(
      OperatorTokenError,
    );
  });
});

describe('operator roles', () => {
  it('are ordered viewer < operator < admin', () => {
    expect(OPERATOR_ROLES).toEqual(['viewer', 'operator', 'admin']);
    expect(roleSatisfies('viewer', 'viewer')).toBe(true);
    expect(roleSatisfies('viewer', 'operator')).toBe(false);
    expect(roleSatisfies('operator', 'viewer')).toBe(true);
    expect(roleSatisfies('operator', 'admin')).toBe(false);
    expect(roleSatisfies('admin', 'operator')).toBe(true);
    expect(roleSatisfies('admin', 'admin')).toBe(true);
  });
});
