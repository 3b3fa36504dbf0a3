import { HeldAccountLocks } from './account-lock-order.util';

describe('held account locks', () => {
  it('allow anything first', () => {
    expect(new HeldAccountLocks().keepsOrder(['z', 'a'])).toBe(true);
  });

  it('allow accounts above every held one, and accounts already held', () => {
    const locks = new HeldAccountLocks();
    locks.add(['fee_revenue:KRW', 'psp_clearing:acme:KRW']);
    expect(locks.keepsOrder(['seller_payable:s:KRW'])).toBe(true);
    expect(locks.keepsOrder(['fee_revenue:KRW', 'psp_clearing:acme:KRW', 'seller_payable:s:KRW'])).toBe(true);
  });

  it('refuse a new account below the highest held one', () => {
    const locks = new HeldAccountLocks();
    locks.add(['fee_revenue:KRW', 'seller_payable:s:KRW']);
    expect(locks.keepsOrder(['orphan_refund_payable:acme:KRW', 'psp_clearing:acme:KRW'])).toBe(false);
    locks.add(['psp_clearing:acme:KRW']);
    expect(locks.keepsOrder(['psp_clearing:acme:KRW'])).toBe(true);
  });
});
