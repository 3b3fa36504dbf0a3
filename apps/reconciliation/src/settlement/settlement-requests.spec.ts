import { createHash } from 'node:crypto';
import {
  novaSettlementSign,
  settlementRequestOf,
  type SettlementSourceSettings,
} from './settlement-requests';

const SETTINGS: SettlementSourceSettings = {
  acme: { baseUrl: 'http://127.0.0.1:3011/', apiKey: 'acme_key' },
  nova: { baseUrl: 'http://127.0.0.1:3012', merchantId: 'nova_mid', secret: 'nova_secret' },
  swiftpay: { baseUrl: 'http://127.0.0.1:3013', apiKey: 'swift_key' },
};

describe('settlement requests', () => {
  it('ask acme with its Bearer key for a dashed day', () => {
    expect(settlementRequestOf('acme', '2026-12-07', SETTINGS)).toEqual({
      method: 'GET',
      url: 'http://127.0.0.1:3011/acme/v1/settlements/2026-12-07',
      headers: { authorization: 'Bearer acme_key' },
    });
  });

  it('ask nova with a form signed like an inquiry (amount 0)', () => {
    const request = settlementRequestOf('nova', '2026-12-07', SETTINGS);
    expect(request).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:3012/nova/api/settlement' });
    expect(request.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
    const form = new URLSearchParams(request.body);
    expect(Object.fromEntries(form)).toEqual({
      mid: 'nova_mid',
      settle_date: '20261207',
      sign: createHash('sha256').update('nova_mid|20261207|0|nova_secret').digest('hex'),
    });
    expect(novaSettlementSign('nova_mid', '20261207', 'nova_secret')).toBe(form.get('sign'));
  });

  it('ask swiftpay with X-Swift-Key for a compact day', () => {
    expect(settlementRequestOf('swiftpay', '2026-12-07', SETTINGS)).toEqual({
      method: 'GET',
      url: 'http://127.0.0.1:3013/swiftpay/v2/settlements/20261207',
      headers: { 'x-swift-key': 'swift_key' },
    });
  });
});
