import { securityHeadersFor } from './security-headers';

const directivesOf = (policy: string | undefined): string[] => (policy ?? '').split('; ');

describe('securityHeadersFor', () => {
  it('gives an API answer the headers that keep a browser from sniffing, framing, caching or running it', () => {
    expect(securityHeadersFor('/v1/payments')).toEqual({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-store',
      'Content-Security-Policy':
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    });
  });

  it('lets Swagger UI load its own scripts, styles, icons and the API, and nothing from elsewhere', () => {
    for (const path of ['/docs', '/docs/', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css']) {
      const headers = securityHeadersFor(path);
      expect(directivesOf(headers['Content-Security-Policy'])).toEqual([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
      ]);
      expect(headers['X-Frame-Options']).toBe('DENY');
    }
  });

  it('keeps the strict policy on paths that only begin like the docs', () => {
    for (const path of ['/docs-json', '/docsx', '/v1/docs']) {
      expect(securityHeadersFor(path)['Content-Security-Policy']).toMatch(
        /^default-src 'none'; frame-ancestors/,
      );
    }
  });
});
