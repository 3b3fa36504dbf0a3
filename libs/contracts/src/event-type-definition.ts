import { getMetadataStorage, IS_OPTIONAL } from 'class-validator';
import { ContractError, ContractErrorCode } from './contract.error';
import { PayloadClass } from './payload-decorators.util';
import { TopicVisibility } from './topics';

/** Type names end in a version, so a breaking change becomes a new name published beside the old. */
export const EVENT_TYPE_NAME_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+\.v[1-9][0-9]*$/;

/** An event type as the registry holds it. */
export interface EventTypeDefinition {
  /** Versioned type name, the CloudEvents `type`. */
  readonly type: string;
  /** The topic every event of this type is published to. */
  readonly topic: string;
  /** class-validator decorated class describing `data`. */
  readonly payload: PayloadClass;
  /** The payload field holding the aggregate id, which is the CloudEvents subject and the Kafka key. */
  readonly subject: string;
  readonly visibility: TopicVisibility;
  readonly description: string;
}

/** A definition while it is being written: `subject` must name a field of the payload class. */
export interface TypedEventTypeDefinition<P extends object> extends EventTypeDefinition {
  readonly payload: PayloadClass<P>;
  readonly subject: Extract<keyof P, string>;
}

export function defineEventType<P extends object>(
  definition: TypedEventTypeDefinition<P>,
): EventTypeDefinition {
  return definition;
}

function definitionProblems(definition: EventTypeDefinition): string[] {
  const problems: string[] = [];
  if (!EVENT_TYPE_NAME_PATTERN.test(definition.type)) {
    problems.push(`type must look like 'keel.<aggregate>.<event>.v<N>'`);
  }
  if (definition.topic.length === 0) {
    problems.push('topic must not be empty');
  }
  if (definition.description.trim().length === 0) {
    problems.push('description must not be empty');
  }
  const subjectRules = getMetadataStorage()
    .getTargetValidationMetadatas(definition.payload, '', true, false)
    .filter((metadata) => metadata.propertyName === definition.subject);
  if (subjectRules.length === 0 || subjectRules.some((metadata) => metadata.name === IS_OPTIONAL)) {
    problems.push(
      `subject '${definition.subject}' must be a required, validated field of ${definition.payload.name}`,
    );
  }
  return problems;
}

export function assertValidDefinition(definition: EventTypeDefinition): void {
  const problems = definitionProblems(definition);
  if (problems.length > 0) {
    throw new ContractError(
      ContractErrorCode.InvalidEventTypeDefinition,
      `Event type '${definition.type}' is invalid: ${problems.join('; ')}`,
    );
  }
}
