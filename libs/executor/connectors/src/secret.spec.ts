import { inspect } from 'node:util';
import { Secret } from './secret';

describe('Secret', () => {
  it('gives its value only through reveal()', () => {
    const secret = new Secret('sk_live_123');
    expect(secret.reveal()).toBe('sk_live_123');
    expect(`${String(secret)}`).not.toContain('sk_live');
    expect(JSON.stringify({ apiKey: secret })).not.toContain('sk_live');
    expect(inspect({ apiKey: secret })).not.toContain('sk_live');
  });
});
