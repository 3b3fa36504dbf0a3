import { createHash } from 'node:crypto';
import { isNovaSignValid, novaSign } from './nova-sign';

const CREDENTIALS = { merchantId: 'nova_mid_test', secret: 'nova_secret_test' };

describe('nova sign', () => {
  it('is the hex SHA-256 of "<mid>|<order_no>|<amt>|<secret>"', () => {
    const expected = createHash('sha256').update('nova_mid_test|po_1|1500|nova_secret_test').digest('hex');
    expect(novaSign('nova_mid_test', 'po_1', '1500', 'nova_secret_test')).toBe(expected);
  });

  it('accepts our mid with a sign over the request, in either hex case', () => {
    const sign = novaSign('nova_mid_test', 'po_1', '1500', 'nova_secret_test');
    expect(isNovaSignValid(CREDENTIALS, { mid: 'nova_mid_test', sign }, 'po_1', '1500')).toBe(true);
    expect(
      isNovaSignValid(CREDENTIALS, { mid: 'nova_mid_test', sign: sign.toUpperCase() }, 'po_1', '1500'),
    ).toBe(true);
  });

  it('refuses another amount, order, mid or secret, and missing fields', () => {
    const sign = novaSign('nova_mid_test', 'po_1', '1500', 'nova_secret_test');
    expect(isNovaSignValid(CREDENTIALS, { mid: 'nova_mid_test', sign }, 'po_1', '1501')).toBe(false);
    expect(isNovaSignValid(CREDENTIALS, { mid: 'nova_mid_test', sign }, 'po_2', '1500')).toBe(false);
    const otherMid = novaSign('other_mid', 'po_1', '1500', 'nova_secret_test');
    expect(isNovaSignValid(CREDENTIALS, { mid: 'other_mid', sign: otherMid }, 'po_1', '1500')).toBe(false);
    const otherSecret = novaSign('nova_mid_test', 'po_1', '1500', 'guessed');
    expect(isNovaSignValid(CREDENTIALS, { mid: 'nova_mid_test', sign: otherSecret }, 'po_1', '1500')).toBe(
      false,
    );
    expect(isNovaSignValid(CREDENTIALS, { mid: 'nova_mid_test', sign: undefined }, 'po_1', '1500')).toBe(
      false,
    );
    expect(isNovaSignValid(CREDENTIALS, { mid: 'nova_mid_test', sign }, undefined, '1500')).toBe(false);
    expect(isNovaSignValid(CREDENTIALS, { mid: ['nova_mid_test'], sign }, 'po_1', '1500')).toBe(false);
  });
});
