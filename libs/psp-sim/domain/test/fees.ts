import { perPsp, type PspId } from '../src/psp';

/** The contract fee a spec gives a PSP unless it sets one: psp-sim's default for acme. */
export const TEST_FEE_BASIS_POINTS = 250;

/**
 * A contract fee for every PSP of PSP_IDS, so that a new PSP has one: TEST_FEE_BASIS_POINTS, or
 * the spec's own where it tells PSPs apart by their fees.
 */
export function testFees(overrides: Partial<Record<PspId, number>> = {}): Readonly<Record<PspId, number>> {
  return perPsp((psp) => overrides[psp] ?? TEST_FEE_BASIS_POINTS);
}
