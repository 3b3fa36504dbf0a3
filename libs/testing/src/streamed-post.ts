import { request } from 'node:http';
import { pipeline } from 'node:stream/promises';

export interface StreamedPostAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * POSTs `body` with node:http and pipeline, so the sender writes only as fast as the server reads
 * and holds a chunk, never the whole body (fetch reads iterable bodies ahead into memory); resolves
 * with the status and the whole answer.
 */
export async function postStreamed(
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: NodeJS.ReadableStream,
): Promise<StreamedPostAnswer> {
  const sending = request(url, { method: 'POST', headers });
  const answered = new Promise<StreamedPostAnswer>((resolve, reject) => {
    sending.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    sending.on('error', reject);
  });
  await pipeline(body, sending);
  return answered;
}
