import { mintOperatorToken, type OperatorRole, type OperatorTokenSettings } from '@keel/operator-auth';

/** The operator name other services' audits record for what ops does with its own credential. */
export const OPS_OPERATOR_NAME = 'keel-ops';
/** A credential lives an hour and is renewed five minutes before it ends. */
const TOKEN_TTL_HOURS = 1;
const TOKEN_RENEW_BEFORE_MS = 5 * 60_000;

/**
 * ops' own operator credential for calling other Keel services, signed with the deployment's
 * operator token settings (every service shares OPERATOR_TOKEN_SECRET): no token to hand out or
 * renew by hand.
 */
export class OpsCredential {
  #token: { value: string; renewAtMs: number } | undefined;

  constructor(
    private readonly role: OperatorRole,
    private readonly tokens: OperatorTokenSettings,
  ) {}

  /** The `Authorization` header value, renewed when due. */
  authorization(): string {
    const nowMs = Date.now();
    if (this.#token === undefined || nowMs >= this.#token.renewAtMs) {
      const { token, claims } = mintOperatorToken(
        {
          name: OPS_OPERATOR_NAME,
          role: this.role,
          ttlHours: Math.min(TOKEN_TTL_HOURS, this.tokens.maxTtlHours),
        },
        this.tokens,
        new Date(nowMs),
      );
      this.#token = { value: token, renewAtMs: claims.exp * 1_000 - TOKEN_RENEW_BEFORE_MS };
    }
    return `Bearer ${this.#token.value}`;
  }
}
