import { DestinationStream } from 'pino';
import { createLogger, REDACT_PATHS, REDACTED, REDACTED_KEYS } from './logger';
import { runWithContext } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CONTEXT = { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, correlationId: 'corr-1' };
const VISA = '4111111111111111';

function memoryLogger(level?: 'info' | 'debug') {
  const lines: string[] = [];
  const destination: DestinationStream = { write: (line: string) => lines.push(line) };
  const logger = createLogger({ service: 'payment', level, destination });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

describe('createLogger', () => {
  it('writes one JSON line with service, level label, ISO time and message', () => {
    const { logger, lines, records } = memoryLogger();
    logger.info({ paymentId: 'pay_1' }, 'payment created');
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(records()[0]).toMatchObject({
      level: 'info',
      service: 'payment',
      paymentId: 'pay_1',
      msg: 'payment created',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
  });

  it('mixes in the trace and correlation ids of the current context', () => {
    const { logger, records } = memoryLogger();
    runWithContext(CONTEXT, () => logger.info('inside'));
    logger.info('outside');
    const [inside, outside] = records();
    expect(inside).toMatchObject({ traceId: TRACE_ID, spanId: '00f067aa0ba902b7', correlationId: 'corr-1' });
    expect(outside.traceId).toBeUndefined();
    expect(outside.correlationId).toBeUndefined();
  });

  it('logs at info by default and at the given level otherwise', () => {
    const quiet = memoryLogger();
    quiet.logger.debug('hidden');
    expect(quiet.lines).toHaveLength(0);
    const verbose = memoryLogger('debug');
    verbose.logger.debug('shown');
    expect(verbose.lines).toHaveLength(1);
  });

  it('redacts secrets by key at every depth up to the limit and keeps other fields', () => {
    const { logger, records } = memoryLogger();
    logger.info({
      password: 'hunter2',
      apiKey: 'k-1',
      req: { method: 'POST', headers: { authorization: 'Bearer abc', cookie: 'sid=1', 'x-api-key': 'k-2' } },
      merchant: { id: 'm_1', credentials: { secret: 's-1', token: 't-1' } },
      payment: { card: { cardNumber: VISA, cvc: '123', expiryMonth: 12 } },
      items: [{ pan: VISA, sku: 'sku-1' }],
      deep: { a: { b: { c: { d: { Password: 'deepest' } } } } },
    });
    const record = records()[0];
    expect(record).toMatchObject({
      password: REDACTED,
      apiKey: REDACTED,
      req: { method: 'POST', headers: { authorization: REDACTED, cookie: REDACTED, 'x-api-key': REDACTED } },
      merchant: { id: 'm_1', credentials: { secret: REDACTED, token: REDACTED } },
      payment: { card: { cardNumber: REDACTED, cvc: REDACTED, expiryMonth: 12 } },
      items: [{ pan: REDACTED, sku: 'sku-1' }],
      deep: { a: { b: { c: { d: { Password: REDACTED } } } } },
    });
    expect(JSON.stringify(record)).not.toMatch(/hunter2|Bearer abc|sid=1|s-1|t-1|k-1|k-2|deepest/);
  });

  it('redacts secrets in child-logger bindings and in custom properties of errors', () => {
    const { logger, records } = memoryLogger();
    logger.child({ token: 'secret-token', merchantId: 'm_1' }).info('bound');
    const pspError = Object.assign(new Error('PSP call failed'), {
      config: { url: 'https://psp.test/charge', headers: { Authorization: 'Basic c2VjcmV0' } },
    });
    logger.error({ err: pspError }, 'charge failed');
    const [bound, failed] = records();
    expect(bound).toMatchObject({ token: REDACTED, merchantId: 'm_1' });
    expect(failed).toMatchObject({
      err: {
        message: 'PSP call failed',
        config: { url: 'https://psp.test/charge', headers: { Authorization: REDACTED } },
      },
    });
  });

  it('masks PANs in free text, unexpected fields, child bindings and error messages', () => {
    const { logger, lines } = memoryLogger();
    logger.info({ note: `customer typed 4111 1111 1111 1111`, amountMinor: 1250 }, `charging ${VISA}`);
    logger.child({ reference: VISA }).info('bound');
    logger.error({ err: new Error(`card ${VISA} refused`) }, 'failed');
    logger.info({ raw: Number(VISA) }, 'number');
    const output = lines.join('');
    expect(output).not.toMatch(/4111111111111111|4111 1111 1111 1111/);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records[0]).toMatchObject({ msg: 'charging 411111…1111', note: 'customer typed 411111…1111' });
    expect(records[0].amountMinor).toBe(1250);
    expect(records[1].reference).toBe('411111…1111');
    expect(records[2]).toMatchObject({ err: { message: 'card 411111…1111 refused' } });
    expect(records[3].raw).toBe('411111…1111');
  });
});
describe('REDACT_PATHS', () => {
  it('holds every secret key at the top level, in bracket syntax where needed', () => {
    expect(REDACT_PATHS).toEqual(
      expect.arrayContaining(['password', 'cardNumber', '["x-api-key"]', '["set-cookie"]']),
    );
    expect(REDACT_PATHS).toHaveLength(REDACTED_KEYS.length);
  });
});
