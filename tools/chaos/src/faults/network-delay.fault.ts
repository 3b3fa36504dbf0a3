import { DELAYED_LINKS, numberParameter, type FaultInjector } from './fault-context';

/** Slows one proxied link (PostgreSQL, Kafka or a PSP) in both directions for the duration. */
export const injectNetworkDelay: FaultInjector = async (fault, { proxies }) => {
  const link = DELAYED_LINKS.find((candidate) => candidate === fault.target);
  if (link === undefined) throw new Error(`network-delay: unknown link ${fault.target}`);
  const proxy = proxies[link];
  const delayMs = numberParameter(fault, 'delayMs');
  proxy.setDelay(delayMs);
  const openConnections = proxy.openConnections;
  return {
    observation: () => `${delayMs} ms each way on ${link} (${openConnections} connections open)`,
    undo: async () => proxy.setDelay(0),
  };
};
