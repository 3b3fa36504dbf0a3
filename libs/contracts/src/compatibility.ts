import { AsyncApiDocument, AsyncApiMessage } from './asyncapi';
import { ContractError, ContractErrorCode } from './contract.error';
import { CONSTRAINT_KEYWORDS, JsonSchema, SCHEMA_REF_PREFIX, SHAPE_KEYWORDS } from './json-schema.util';

export type BreakingChangeKind =
  | 'type_removed'
  | 'topic_changed'
  | 'subject_changed'
  | 'field_removed'
  | 'field_became_required'
  | 'field_became_optional'
  | 'required_field_added'
  | 'field_type_changed'
  | 'field_constraint_changed';

export interface BreakingChange {
  readonly kind: BreakingChangeKind;
  readonly eventType: string;
  /** Dotted path of the field in the payload ('[]' marks array items); '' for the type itself. */
  readonly path: string;
  readonly detail: string;
}

export interface CompatibilityReport {
  readonly compatible: boolean;
  readonly breakingChanges: readonly BreakingChange[];
}

export interface CompatibilityOptions {
  /** Types withdrawn on purpose after their consumers moved on; their removal is not a break. */
  readonly retiredTypes?: readonly string[];
  /** Bounds the walk through nested schemas, so a cyclic $ref cannot loop. */
  readonly schemaDepthMax?: number;
}

export const DEFAULT_SCHEMA_DEPTH_MAX = 32;

interface Walk {
  readonly eventType: string;
  readonly previous: AsyncApiDocument;
  readonly current: AsyncApiDocument;
  readonly depthMax: number;
}

function resolve(document: AsyncApiDocument, schema: JsonSchema, depthMax: number): JsonSchema {
  let resolved = schema;
  for (let hops = 0; resolved.$ref !== undefined; hops += 1) {
    const name = resolved.$ref.startsWith(SCHEMA_REF_PREFIX)
      ? resolved.$ref.slice(SCHEMA_REF_PREFIX.length)
      : '';
    const target = document.components.schemas[name];
    if (target === undefined || hops >= depthMax) {
      throw new ContractError(ContractErrorCode.UnsupportedSchema, `Cannot resolve schema ${resolved.$ref}`);
    }
    resolved = target;
  }
  return resolved;
}

function differs(previous: unknown, current: unknown): boolean {
  return JSON.stringify(previous) !== JSON.stringify(current);
}

function change(walk: Walk, kind: BreakingChangeKind, path: string, detail: string): BreakingChange {
  return { kind, eventType: walk.eventType, path, detail };
}

function compareKeywords(
  walk: Walk,
  path: string,
  previous: JsonSchema,
  current: JsonSchema,
): BreakingChange[] {
  const shape = SHAPE_KEYWORDS.filter((keyword) => differs(previous[keyword], current[keyword]));
  if (shape.length > 0) {
    const describe = (schema: JsonSchema) => [schema.type, schema.format].filter(Boolean).join('/') || 'any';
    return [change(walk, 'field_type_changed', path, `${describe(previous)} became ${describe(current)}`)];
  }
  return CONSTRAINT_KEYWORDS.filter((keyword) => differs(previous[keyword], current[keyword])).map(
    (keyword) =>
      change(
        walk,
        'field_constraint_changed',
        path,
        `${keyword} ${JSON.stringify(previous[keyword])} became ${JSON.stringify(current[keyword])}`,
      ),
  );
}

function compareProperties(
  walk: Walk,
  path: string,
  previous: JsonSchema,
  current: JsonSchema,
  depth: number,
): BreakingChange[] {
  const previousProperties = previous.properties ?? {};
  const currentProperties = current.properties ?? {};
  const wasRequired = new Set(previous.required ?? []);
  const isRequired = new Set(current.required ?? []);
  const changes: BreakingChange[] = [];
  for (const [name, previousProperty] of Object.entries(previousProperties)) {
    const fieldPath = path === '' ? name : `${path}.${name}`;
    const currentProperty = currentProperties[name];
    if (currentProperty === undefined) {
      changes.push(change(walk, 'field_removed', fieldPath, 'the field was removed'));
      continue;
    }
    if (!wasRequired.has(name) && isRequired.has(name)) {
      changes.push(change(walk, 'field_became_required', fieldPath, 'old events may lack it'));
    }
    if (wasRequired.has(name) && !isRequired.has(name)) {
      changes.push(change(walk, 'field_became_optional', fieldPath, 'old consumers require it'));
    }
    changes.push(...compareSchemas(walk, fieldPath, previousProperty, currentProperty, depth + 1));
  }
  for (const name of Object.keys(currentProperties)) {
    if (previousProperties[name] === undefined && isRequired.has(name)) {
      const fieldPath = path === '' ? name : `${path}.${name}`;
      changes.push(change(walk, 'required_field_added', fieldPath, 'old events lack it; add it as optional'));
    }
  }
  return changes;
}

function compareSchemas(
  walk: Walk,
  path: string,
  previousSchema: JsonSchema,
  currentSchema: JsonSchema,
  depth: number,
): BreakingChange[] {
  if (depth > walk.depthMax) {
    throw new ContractError(
      ContractErrorCode.UnsupportedSchema,
      `Schema of ${walk.eventType} nests past ${path}`,
    );
  }
  const previous = resolve(walk.previous, previousSchema, walk.depthMax);
  const current = resolve(walk.current, currentSchema, walk.depthMax);
  const keywordChanges = compareKeywords(walk, path, previous, current);
  if (keywordChanges.some((found) => found.kind === 'field_type_changed')) {
    return keywordChanges;
  }
  const itemChanges =
    previous.items !== undefined && current.items !== undefined
      ? compareSchemas(walk, `${path}[]`, previous.items, current.items, depth + 1)
      : [];
  return [...keywordChanges, ...compareProperties(walk, path, previous, current, depth), ...itemChanges];
}

function compareMessages(walk: Walk, previous: AsyncApiMessage, current: AsyncApiMessage): BreakingChange[] {
  const changes: BreakingChange[] = [];
  if (previous['x-keel-topic'] !== current['x-keel-topic']) {
    changes.push(
      change(walk, 'topic_changed', '', `${previous['x-keel-topic']} became ${current['x-keel-topic']}`),
    );
  }
  if (previous['x-keel-subject'] !== current['x-keel-subject']) {
    changes.push(
      change(
        walk,
        'subject_changed',
        '',
        `${previous['x-keel-subject']} became ${current['x-keel-subject']}`,
      ),
    );
  }
  return [...changes, ...compareSchemas(walk, '', previous.payload, current.payload, 0)];
}

/**
 * Breaking changes from `previous` to `current` for every type `previous` publishes. Within a
 * version both old and new consumers must read both old and new events, and consumers ignore
 * unknown fields; so adding an optional field is the only change to a payload's fields that passes.
 */
export function checkCompatibility(
  previous: AsyncApiDocument,
  current: AsyncApiDocument,
  options: CompatibilityOptions = {},
): CompatibilityReport {
  const retired = new Set(options.retiredTypes ?? []);
  const depthMax = options.schemaDepthMax ?? DEFAULT_SCHEMA_DEPTH_MAX;
  const breakingChanges = Object.entries(previous.components.messages).flatMap(([eventType, message]) => {
    const walk: Walk = { eventType, previous, current, depthMax };
    const currentMessage = current.components.messages[eventType];
    if (currentMessage === undefined) {
      return retired.has(eventType)
        ? []
        : [change(walk, 'type_removed', '', 'publish a new version instead')];
    }
    return compareMessages(walk, message, currentMessage);
  });
  return { compatible: breakingChanges.length === 0, breakingChanges };
}

export function formatBreakingChanges(changes: readonly BreakingChange[]): string {
  return changes
    .map(
      (found) =>
        `${found.eventType}${found.path === '' ? '' : ` ${found.path}`}: ${found.kind} (${found.detail})`,
    )
    .join('\n');
}
