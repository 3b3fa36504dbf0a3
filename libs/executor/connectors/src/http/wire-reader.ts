import { PspProtocolError } from '../psp.error';
import type { PspHttpResponse } from './psp-http';

const INTEGER_STRING_PATTERN = /^(0|[1-9]\d{0,17})$/;

/**
 * Reads fields of an object a PSP sent, checking each: a missing or mistyped field is a
 * PspProtocolError (the answer is not understood), never a default.
 */
export class WireReader {
  private readonly fields: Readonly<Record<string, unknown>>;

  constructor(
    private readonly pspId: string,
    value: unknown,
    private readonly what: string,
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new PspProtocolError(pspId, `${what} is not an object`);
    }
    this.fields = value as Record<string, unknown>;
  }

  /** The JSON body of an answer, read as an object. */
  static ofJson(pspId: string, response: PspHttpResponse, what: string): WireReader {
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body);
    } catch (error) {
      throw new PspProtocolError(pspId, `${what} is not JSON (HTTP ${response.status})`, { cause: error });
    }
    return new WireReader(pspId, parsed, what);
  }

  string(field: string): string {
    const value = this.fields[field];
    if (typeof value !== 'string' || value.length === 0) {
      throw new PspProtocolError(this.pspId, `${this.what}.${field} must be a non-empty string`);
    }
    return value;
  }

  optionalString(field: string): string | undefined {
    const value = this.fields[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      throw new PspProtocolError(this.pspId, `${this.what}.${field} must be a string when present`);
    }
    return value;
  }

  /** A non-negative amount of minor units, sent as a JSON number or a string of digits. */
  amountMinor(field: string): bigint {
    const value = this.fields[field];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    if (typeof value === 'string' && INTEGER_STRING_PATTERN.test(value)) return BigInt(value);
    throw new PspProtocolError(this.pspId, `${this.what}.${field} must be a whole non-negative amount`);
  }

  optionalAmountMinor(field: string): bigint | undefined {
    const value = this.fields[field];
    return value === undefined || value === null ? undefined : this.amountMinor(field);
  }

  object(field: string): WireReader {
    return new WireReader(this.pspId, this.fields[field], `${this.what}.${field}`);
  }
}

/** The start of an answer's body on one line, to say in an error message what the PSP answered. */
export function errorExcerpt(response: PspHttpResponse, lengthMax = 200): string {
  const text = response.body.replace(/\s+/g, ' ').trim();
  return text.length <= lengthMax ? text : `${text.slice(0, lengthMax)}…`;
}
