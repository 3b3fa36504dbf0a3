import type { MessagingLogger } from '../messaging-logger';
import type { KafkaClient } from './kafka-client';
import { DEFAULT_KAFKA_CLIENT_KIND, type KafkaSettings } from './kafka-settings';
import { createKafkajsClient } from './kafkajs-client';
import { createPlatformaticClient } from './platformatic-client';

/** The KafkaClient of the library `settings.client` names. */
export function createKafkaClient(settings: KafkaSettings, logger: MessagingLogger): KafkaClient {
  const kind = settings.client ?? DEFAULT_KAFKA_CLIENT_KIND;
  switch (kind) {
    case 'kafkajs':
      return createKafkajsClient(settings, logger);
    case 'platformatic':
      return createPlatformaticClient(settings, logger);
  }
}
