import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { containsCardNumber } from '@keel/contracts';
import { isOperatorRole, type OperatorRole } from './operator-role';

/**
 * Operator tokens: `op_` + base64url(JSON claims) + `.` + base64url(HMAC-SHA-256 of the claims
 * segment under OPERATOR_TOKEN_SECRET). Stateless: every instance of every service checks them with
 * the shared secret and no lookup. They are short-lived (OPERATOR_TOKEN_MAX_TTL_HOURS) because
 * nothing revokes one before its end but rotating the secret.
 */
export const OPERATOR_TOKEN_PREFIX = 'op_';

/** Longer strings are refused before any work: a token of the longest name is far shorter. */
export const OPERATOR_TOKEN_LENGTH_MAX = 1_024;

/** OPERATOR_TOKEN_MAX_TTL_HOURS when not set: a working day, with margin. */
export const OPERATOR_TOKEN_MAX_TTL_HOURS_DEFAULT = 24;

/** Who an operator is, as it appears in audit records and logs. */
export const OPERATOR_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

const HOUR_S = 3_600;
const TOKEN_PATTERN = /^op_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;
const TOKEN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface OperatorTokenClaims {
  /** The operator's name. */
  readonly sub: string;
  readonly role: OperatorRole;
  /** Issued at, in seconds since the epoch. */
  readonly iat: number;
  /** Expires at, in seconds since the epoch. */
  readonly exp: number;
  /** The token's id: names it in audit records without revealing it. */
  readonly jti: string;
}

export interface OperatorTokenSettings {
  /** OPERATOR_TOKEN_SECRET: signs and checks every token. */
  readonly secret: string;
  /** The longest a token may live, from issue to expiry. */
  readonly maxTtlHours: number;
  /** How far a token's issue time may lie ahead of this clock (clocks of hosts differ slightly). */
  readonly clockSkewS: number;
}

/** Who acts: what a verified token says, put on the request for the handler and the audit. */
export interface OperatorActor {
  readonly name: string;
  readonly role: OperatorRole;
  readonly tokenId: string;
}

export type OperatorTokenRefusal =
  'malformed' | 'bad_signature' | 'unknown_role' | 'not_yet_valid' | 'expired' | 'lifetime_too_long';

export type OperatorTokenVerdict =
  | { readonly valid: true; readonly actor: OperatorActor; readonly expiresAt: Date }
  | { readonly valid: false; readonly reason: OperatorTokenRefusal };

export class OperatorTokenError extends Error {
  override readonly name = 'OperatorTokenError';
}

export interface NewOperatorToken {
  readonly name: string;
  readonly role: OperatorRole;
  /** Defaults to the longest allowed. */
  readonly ttlHours?: number;
}

const secondsOf = (date: Date): number => Math.floor(date.getTime() / 1_000);

/** The signature segment of a token whose claims segment is `claimsSegment`: base64url of the HMAC. */
function signatureOf(claimsSegment: string, secret: string): string {
  return createHmac('sha256', secret).update(claimsSegment, 'ascii').digest('base64url');
}

/** A token for `name` with `role`, issued at `now`; refuses a name, role or lifetime out of bounds. */
export function mintOperatorToken(
  request: NewOperatorToken,
  settings: OperatorTokenSettings,
  now: Date,
): { readonly token: string; readonly claims: OperatorTokenClaims } {
  const ttlHours = request.ttlHours ?? settings.maxTtlHours;
  if (!OPERATOR_NAME_PATTERN.test(request.name) || containsCardNumber(request.name)) {
    throw new OperatorTokenError(
      `operator name ${JSON.stringify(request.name)} must be 1-64 of A-Z a-z 0-9 . _ @ -, starting with a letter or digit`,
    );
  }
  if (!isOperatorRole(request.role)) {
    throw new OperatorTokenError(`unknown operator role ${JSON.stringify(request.role)}`);
  }
  if (!(ttlHours > 0 && ttlHours <= settings.maxTtlHours)) {
    throw new OperatorTokenError(
      `a token lives more than 0 and at most ${settings.maxTtlHours} hours (OPERATOR_TOKEN_MAX_TTL_HOURS), got ${ttlHours}`,
    );
  }
  const iat = secondsOf(now);
  const claims: OperatorTokenClaims = {
    sub: request.name,
    role: request.role,
    iat,
    exp: iat + Math.floor(ttlHours * HOUR_S),
    jti: randomBytes(16).toString('base64url'),
  };
  const claimsSegment = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  const signature = signatureOf(claimsSegment, settings.secret);
  return { token: `${OPERATOR_TOKEN_PREFIX}${claimsSegment}.${signature}`, claims };
}

function claimsOf(claimsSegment: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(claimsSegment, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const isSeconds = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * What `candidate` proves at `now`. The signature is checked first, in constant time, so nothing
 * of an unsigned token's claims is trusted or even parsed; then its claims must be well formed,
 * its role known, its lifetime within the maximum, and `now` within it.
 */
export function verifyOperatorToken(
  candidate: string,
  settings: OperatorTokenSettings,
  now: Date,
): OperatorTokenVerdict {
  if (candidate.length > OPERATOR_TOKEN_LENGTH_MAX) return { valid: false, reason: 'malformed' };
  const match = TOKEN_PATTERN.exec(candidate);
  if (match === null) return { valid: false, reason: 'malformed' };
  const [, claimsSegment = '', signatureSegment = ''] = match;
  // Compared as text: another spelling of the same bytes (stray low bits) is no signature either.
  const presented = Buffer.from(signatureSegment, 'ascii');
  const expected = Buffer.from(signatureOf(claimsSegment, settings.secret), 'ascii');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return { valid: false, reason: 'bad_signature' };
  }
  const claims = claimsOf(claimsSegment);
  if (
    claims === undefined ||
    typeof claims['sub'] !== 'string' ||
    !OPERATOR_NAME_PATTERN.test(claims['sub']) ||
    typeof claims['jti'] !== 'string' ||
    !TOKEN_ID_PATTERN.test(claims['jti']) ||
    !isSeconds(claims['iat']) ||
    !isSeconds(claims['exp']) ||
    claims['exp'] <= claims['iat']
  ) {
    return { valid: false, reason: 'malformed' };
  }
  if (!isOperatorRole(claims['role'])) return { valid: false, reason: 'unknown_role' };
  const { iat, exp } = claims;
  if (exp - iat > settings.maxTtlHours * HOUR_S) return { valid: false, reason: 'lifetime_too_long' };
  const nowS = now.getTime() / 1_000;
  if (iat > nowS + settings.clockSkewS) return { valid: false, reason: 'not_yet_valid' };
  if (exp <= nowS) return { valid: false, reason: 'expired' };
  return {
    valid: true,
    actor: { name: claims['sub'], role: claims['role'], tokenId: claims['jti'] },
    expiresAt: new Date(exp * 1_000),
  };
}
