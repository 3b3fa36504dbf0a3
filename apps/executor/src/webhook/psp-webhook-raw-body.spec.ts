import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PspWebhookBodyError } from '../executor.errors';
import { rawBodyOf, rawBodyReader } from './psp-webhook-raw-body';

function read(chunks: readonly string[], limitBytes: number): IncomingMessage {
  const request = new EventEmitter() as IncomingMessage;
  const next = jest.fn();
  rawBodyReader(limitBytes)(request, {} as ServerResponse, next);
  for (const chunk of chunks) request.emit('data', Buffer.from(chunk));
  request.emit('end');
  expect(next).toHaveBeenCalledTimes(1);
  return request;
}

describe('rawBodyReader', () => {
  it('keeps the exact bytes, split over chunks', () => {
    const request = read(['amt=15000&', 'order_no=po_1'], 1_024);
    expect(rawBodyOf(request).toString('utf8')).toBe('amt=15000&order_no=po_1');
  });

  it('refuses a body over the limit with a 413 problem', () => {
    const request = read(['12345', '67890'], 8);
    expect(() => rawBodyOf(request)).toThrow(PspWebhookBodyError);
    try {
      rawBodyOf(request);
    } catch (error) {
      expect((error as PspWebhookBodyError).status).toBe(413);
    }
  });

  it('answers 400 for a request it never read', () => {
    expect(() => rawBodyOf(new EventEmitter() as IncomingMessage)).toThrow('not captured');
  });
});
