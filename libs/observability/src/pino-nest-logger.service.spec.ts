import { DestinationStream } from 'pino';
import { createLogger } from './logger';
import { PinoNestLogger } from './pino-nest-logger.service';

function nestLogger() {
  const lines: string[] = [];
  const destination: DestinationStream = { write: (line: string) => lines.push(line) };
  const adapter = new PinoNestLogger(createLogger({ service: 'wallet', level: 'trace', destination }));
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { adapter, records };
}

describe('PinoNestLogger', () => {
  it('maps Nest levels to pino levels and keeps the context', () => {
    const { adapter, records } = nestLogger();
    adapter.log('Nest application successfully started', 'NestApplication');
    adapter.warn('slow', 'RouterExplorer');
    adapter.debug('mapped', 'RoutesResolver');
    adapter.verbose('details', 'InstanceLoader');
    adapter.fatal('down', 'Bootstrap');
    expect(records().map(({ level, msg, context }) => ({ level, msg, context }))).toEqual([
      { level: 'info', msg: 'Nest application successfully started', context: 'NestApplication' },
      { level: 'warn', msg: 'slow', context: 'RouterExplorer' },
      { level: 'debug', msg: 'mapped', context: 'RoutesResolver' },
      { level: 'trace', msg: 'details', context: 'InstanceLoader' },
      { level: 'fatal', msg: 'down', context: 'Bootstrap' },
    ]);
    expect(records()[0].service).toBe('wallet');
  });

  it('writes the stack Nest passes with an error', () => {
    const { adapter, records } = nestLogger();
    adapter.error('boom', 'Error: boom\n    at x', 'ExceptionsHandler');
    expect(records()[0]).toMatchObject({
      level: 'error',
      msg: 'boom',
      stack: 'Error: boom\n    at x',
      context: 'ExceptionsHandler',
    });
  });

  it('logs Error and object messages as structured fields', () => {
    const { adapter, records } = nestLogger();
    adapter.error(new Error('broken'), 'Bootstrap');
    adapter.log({ port: 3000 }, 'Bootstrap');
    const [error, object] = records();
    expect(error).toMatchObject({ msg: 'broken', err: { message: 'broken' }, context: 'Bootstrap' });
    expect(object).toMatchObject({ data: { port: 3000 }, context: 'Bootstrap' });
  });
});
