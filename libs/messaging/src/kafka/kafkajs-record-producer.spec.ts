import { KafkaJSNonRetriableError, KafkaJSProtocolError, type Producer } from 'kafkajs';
import { KafkajsRecordProducer } from './kafkajs-record-producer';

const RECORD = { topic: 'keel.payment.v1', key: 'pay_1', value: Buffer.from('{}'), headers: {} };
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function protocolError(type: string): KafkaJSProtocolError {
  return Object.assign(new KafkaJSProtocolError(type), { type, code: 45, retriable: false });
}

/** A kafkajs producer stand-in recording what it was asked, failing its sends with `failures`. */
function stubProducer(failures: Error[]) {
  const calls: string[] = [];
  const producer = {
    connect: jest.fn(async () => void calls.push('connect')),
    disconnect: jest.fn(async () => void calls.push('disconnect')),
    sendBatch: jest.fn(async () => {
      calls.push('send');
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      return [];
    }),
  };
  return { producer: producer as unknown as Producer, calls };
}

function producerOver(stubs: ReturnType<typeof stubProducer>[]) {
  const queue = [...stubs];
  return new KafkajsRecordProducer(() => {
    const next = queue.shift();
    if (next === undefined) throw new Error('no more producers');
    return next.producer;
  }, silent);
}

describe('KafkajsRecordProducer', () => {
  it.each(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH'])(
    'throws a send the broker refused with %s, then sends through a new, connected producer',
    async (type) => {
      const first = stubProducer([protocolError(type)]);
      const second = stubProducer([]);
      const records = producerOver([first, second]);
      await records.connect();

      await expect(records.send([RECORD])).rejects.toThrow(type);
      await records.send([RECORD]);

      expect(first.calls).toEqual(['connect', 'send', 'disconnect']);
      expect(second.calls).toEqual(['connect', 'send']);
    },
  );

  it('looks for the lost state in the cause kafkajs wraps it in', async () => {
    // As kafkajs' retrier rejects a send that failed for good.
    const refused = protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER');
    const wrapped = Object.assign(new KafkaJSNonRetriableError(refused), { cause: refused });
    const first = stubProducer([wrapped]);
    const second = stubProducer([]);
    const records = producerOver([first, second]);

    await expect(records.send([RECORD])).rejects.toBe(wrapped);
    await records.send([RECORD]);

    expect(second.calls).toEqual(['connect', 'send']);
  });

  it('keeps its producer after any other failure', async () => {
    const only = stubProducer([protocolError('NOT_LEADER_FOR_PARTITION'), new Error('connection lost')]);
    const records = producerOver([only]);

    await expect(records.send([RECORD])).rejects.toThrow('NOT_LEADER_FOR_PARTITION');
    await expect(records.send([RECORD])).rejects.toThrow('connection lost');
    await records.send([RECORD]);

    expect(only.calls).toEqual(['send', 'send', 'send']);
  });
});
