/** What a security spec keeps of an HTTP answer: status, headers, the text and its JSON (else `{}`). */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

export interface Call {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly authorization?: string;
  readonly headers?: Record<string, string>;
  /** Sent as is when a string, else as JSON. */
  readonly body?: unknown;
}

export async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: the assertions on `json` fail and name the text.
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** One request to `url`; GET without a body, POST with one, unless `call.method` says. */
export async function send(url: string, call: Call = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...call.headers };
  if (call.authorization !== undefined) headers['authorization'] = call.authorization;
  let body: string | undefined;
  if (call.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
  }
  return answerOf(
    await fetch(url, { method: call.method ?? (body === undefined ? 'GET' : 'POST'), headers, body }),
  );
}
