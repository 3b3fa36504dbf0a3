import { IsIn, IsOptional } from 'class-validator';

/**
 * KEEL_PROFILE names where a process runs. `local` is a developer's machine, the tests, the bench
 * and the chaos runs, where psp-sim stands in for every PSP: a secret left unset there takes the
 * simulator's public value (`@Sensitive({ localValue })`). Unset is everywhere else, where a
 * secret has no default and a process without one refuses to start.
 */
export const KEEL_PROFILES = ['local'] as const;
export type KeelProfile = (typeof KEEL_PROFILES)[number];

export const LOCAL_PROFILE: KeelProfile = 'local';

/** The KEEL_PROFILE variable of an environment's class: unset, or one of KEEL_PROFILES. */
export function IsKeelProfile(): PropertyDecorator {
  return (prototype, property) => {
    IsOptional()(prototype, property);
    IsIn(KEEL_PROFILES, { message: `KEEL_PROFILE must be unset or one of ${KEEL_PROFILES.join(', ')}` })(
      prototype,
      property,
    );
  };
}
