import { createRequire } from 'node:module';
import type * as PlatformaticKafkaModule from '@platformatic/kafka';

export type PlatformaticKafka = typeof PlatformaticKafkaModule;

/**
 * Loads @platformatic/kafka on first use, so services on another client never load it (nor its
 * WebAssembly). The package is ESM-only: Node 20.19+ loads it with require(esm); under jest,
 * jest.preset.js compiles it to CommonJS.
 */
export function loadPlatformaticKafka(): PlatformaticKafka {
  return createRequire(__filename)('@platformatic/kafka') as PlatformaticKafka;
}
