import { ContractError, ContractErrorCode } from './contract.error';
import { assertValidDefinition, EventTypeDefinition } from './event-type-definition';

/**
 * The event types a producer may build and a consumer will accept. Keel's own types are in the
 * default `eventTypes`; tests and tools can build their own registry.
 */
export class EventTypeRegistry {
  private readonly definitions = new Map<string, EventTypeDefinition>();

  constructor(definitions: readonly EventTypeDefinition[] = []) {
    definitions.forEach((definition) => this.register(definition));
  }

  register(definition: EventTypeDefinition): this {
    assertValidDefinition(definition);
    if (this.definitions.has(definition.type)) {
      throw new ContractError(
        ContractErrorCode.DuplicateEventType,
        `Event type '${definition.type}' is already registered`,
      );
    }
    this.definitions.set(definition.type, definition);
    return this;
  }

  has(type: string): boolean {
    return this.definitions.has(type);
  }

  find(type: string): EventTypeDefinition | undefined {
    return this.definitions.get(type);
  }

  get(type: string): EventTypeDefinition {
    const definition = this.definitions.get(type);
    if (definition === undefined) {
      throw new ContractError(ContractErrorCode.UnknownEventType, `Event type '${type}' is not registered`);
    }
    return definition;
  }

  all(): EventTypeDefinition[] {
    return [...this.definitions.values()];
  }
}
