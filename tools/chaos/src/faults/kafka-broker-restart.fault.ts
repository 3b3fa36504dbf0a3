import { stringParameter, type FaultInjector } from './fault-context';

/** Stops the run's broker (gracefully or by SIGKILL) and starts it again on the same ports and data. */
export const injectKafkaBrokerRestart: FaultInjector = async (fault, { broker }) => {
  const signal = stringParameter(fault, 'signal');
  if (signal !== 'SIGTERM' && signal !== 'SIGKILL')
    throw new Error(`kafka-broker-restart: signal must be SIGTERM or SIGKILL, got ${signal}`);
  const startedAtMs = Date.now();
  await broker.stop(signal);
  const stoppedInMs = Date.now() - startedAtMs;
  return {
    observation: () => `broker stopped by ${signal} in ${stoppedInMs} ms`,
    undo: () => broker.start(),
  };
};
