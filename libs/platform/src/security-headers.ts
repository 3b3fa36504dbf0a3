import type { IncomingMessage, ServerResponse } from 'node:http';

/** Where a service serves Swagger UI (payment's OpenApiDocs): the one HTML page Keel serves. */
export const DOCS_PATH = '/docs';

/** An answer is JSON or metrics text: nothing in it may load, run, frame or submit anything. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Swagger UI: its scripts, stylesheet and API calls on this origin only, inline styles (its page
 * and its React components set them) and data: images (its icons); no inline script, no eval.
 */
const DOCS_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // Answers carry merchants' payments and balances: no browser or proxy cache keeps one.
  'Cache-Control': 'no-store',
};

const isDocsPath = (path: string): boolean => path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`);

/** The security headers of the answer to a request for `path` (no query). */
export function securityHeadersFor(path: string): Readonly<Record<string, string>> {
  return { ...COMMON_HEADERS, 'Content-Security-Policy': isDocsPath(path) ? DOCS_POLICY : API_POLICY };
}

/**
 * Sets the security headers on every answer before anything else handles the request, so the
 * body parser's 413, a 404 and every error answer carry them too.
 */
export function securityHeaders(request: IncomingMessage, response: ServerResponse, next: () => void): void {
  const [path = '/'] = (request.url ?? '/').split('?');
  for (const [name, value] of Object.entries(securityHeadersFor(path))) response.setHeader(name, value);
  next();
}
