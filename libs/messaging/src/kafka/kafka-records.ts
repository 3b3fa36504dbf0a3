/** A record as Keel hands it to Kafka: CloudEvents binary mode, so the headers carry the metadata. */
export interface OutgoingRecord {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** A record as read from Kafka, independent of the client library. */
export interface IncomingRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, HeaderValue>;
  timestamp: string;
}

export function headerAsString(value: HeaderValue): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}

/** Header map of an incoming record as plain strings, for copying into a dead-letter record. */
export function headersAsStrings(headers: Record<string, HeaderValue>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const text = headerAsString(value);
    if (text !== undefined) result[name] = text;
  }
  return result;
}
