import { ServerResponse } from 'node:http';

/** RFC 9457 problem details; extension members sit beside the standard ones. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE_URI = 'https://keel.dev/problems/';
/** RFC 9457: the type of a problem that is no more than its HTTP status. */
export const GENERIC_PROBLEM_TYPE = 'about:blank';

export function problemTypeUri(code: string): string {
  return `${PROBLEM_TYPE_BASE_URI}${encodeURIComponent(code)}`;
}

/** JSON.stringify that writes bigint (Keel's money amounts) as decimal strings instead of throwing. */
export function toJson(body: unknown): string {
  return JSON.stringify(body, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
}

/** Writes a JSON body with the given status and media type, whatever Nest or Express would pick. */
export function writeJson(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: unknown,
): void {
  const payload = toJson(body);
  response.statusCode = status;
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Length', Buffer.byteLength(payload));
  response.end(payload);
}

export function writeProblem(response: ServerResponse, problem: ProblemDetails): void {
  writeJson(response, problem.status, PROBLEM_CONTENT_TYPE, problem);
}
