import type { RecordProducer } from './kafka-client';
import type { OutgoingRecord } from './kafka-records';
import { OnDemandProducer } from './on-demand-producer';

const RECORD: OutgoingRecord = { topic: 't', key: 'k', value: Buffer.from('v'), headers: {} };

/** A producer whose connects fail while `brokerAway` is set; it counts what it was asked to do. */
function fakeProducer() {
  const state = { brokerAway: true, connects: 0, connected: false, sent: 0, disconnects: 0 };
  const producer: RecordProducer = {
    connect: async () => {
      state.connects += 1;
      await Promise.resolve();
      if (state.brokerAway) throw new Error('ECONNREFUSED');
      state.connected = true;
    },
    send: async (records) => {
      if (!state.connected) throw new Error('The producer is disconnected');
      state.sent += records.length;
      await Promise.resolve();
    },
    disconnect: async () => {
      state.disconnects += 1;
      state.connected = false;
      await Promise.resolve();
    },
  };
  return { producer, state };
}

describe('OnDemandProducer', () => {
  it('fails a send while the broker is away and connects on the next send once it answers', async () => {
    const { producer, state } = fakeProducer();
    const onDemand = new OnDemandProducer(producer);

    await expect(onDemand.send([RECORD])).rejects.toThrow('ECONNREFUSED');
    state.brokerAway = false;
    await onDemand.send([RECORD]);
    await onDemand.send([RECORD]);

    expect(state).toMatchObject({ connects: 2, sent: 2 });
  });

  it('shares one connect attempt between concurrent senders', async () => {
    const { producer, state } = fakeProducer();
    state.brokerAway = false;
    const onDemand = new OnDemandProducer(producer);

    await Promise.all([onDemand.send([RECORD]), onDemand.send([RECORD]), onDemand.connect()]);

    expect(state).toMatchObject({ connects: 1, sent: 2 });
  });

  it('does not connect to send nothing', async () => {
    const { producer, state } = fakeProducer();
    await new OnDemandProducer(producer).send([]);
    expect(state.connects).toBe(0);
  });

  it('refuses to connect again once disconnected, after closing a connect under way', async () => {
    const { producer, state } = fakeProducer();
    state.brokerAway = false;
    const onDemand = new OnDemandProducer(producer);
    const connecting = onDemand.connect();

    await onDemand.disconnect();

    await expect(connecting).resolves.toBeUndefined();
    expect(state).toMatchObject({ connects: 1, disconnects: 1, connected: false });
    await expect(onDemand.send([RECORD])).rejects.toThrow('the producer was disconnected');
  });
});
