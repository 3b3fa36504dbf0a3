/** A header value as kafkajs delivers it (its IHeaders), kept free of any Kafka client type. */
export type KafkaHeaderValue = Buffer | string | ReadonlyArray<Buffer | string> | undefined;
export type KafkaHeaders = Readonly<Record<string, KafkaHeaderValue>>;

export type NormalisedHeadersResult =
  | { readonly ok: true; readonly headers: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly header: string; readonly detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes bytes as strict UTF-8; undefined when they are not valid UTF-8. */
export function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function decodeValue(value: Buffer | string): string | undefined {
  return typeof value === 'string' ? value : decodeUtf8(value);
}

function valuesOf(value: KafkaHeaderValue): ReadonlyArray<Buffer | string> {
  if (value === undefined) {
    return [];
  }
  return typeof value === 'string' || Buffer.isBuffer(value) ? [value] : value;
}

/**
 * Turns kafkajs headers into one string per lower-cased name. A name that repeats with different
 * values is ambiguous and reported rather than resolved, since guessing which ce_type is meant
 * could route an event to the wrong handler.
 */
export function normaliseKafkaHeaders(headers: KafkaHeaders): NormalisedHeadersResult {
  // A Map, so header names such as 'constructor' or '__proto__' are plain keys.
  const normalised = new Map<string, string>();
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    for (const value of valuesOf(rawValue)) {
      const decoded = decodeValue(value);
      if (decoded === undefined) {
        return { ok: false, header: name, detail: `header ${name} is not valid UTF-8` };
      }
      const existing = normalised.get(name);
      if (existing !== undefined && existing !== decoded) {
        return { ok: false, header: name, detail: `header ${name} has conflicting values` };
      }
      normalised.set(name, decoded);
    }
  }
  return { ok: true, headers: Object.fromEntries(normalised) };
}
