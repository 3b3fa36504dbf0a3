const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const INVALID_VERSION = 'ff';

/** W3C Trace Context `traceparent`: version 'ff' and all-zero trace or parent ids are invalid. */
export function isValidTraceparent(value: unknown): value is string {
  if (typeof value !== 'string') {
    return false;
  }
  const match = TRACEPARENT_PATTERN.exec(value);
  if (match === null) {
    return false;
  }
  const [, version, traceId, parentId] = match;
  return version !== INVALID_VERSION && !/^0+$/.test(traceId) && !/^0+$/.test(parentId);
}
