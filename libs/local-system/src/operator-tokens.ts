import {
  LOCAL_OPERATOR_TOKEN_SECRET,
  OPERATOR_TOKEN_MAX_TTL_HOURS_DEFAULT,
  type OperatorRole,
  type OperatorTokenSettings,
} from '@keel/operator-auth';
import { operatorAuthorization } from '@keel/testing';

/**
 * How tools mint operator tokens for the Keel they call: the services' OPERATOR_TOKEN_SECRET when
 * the environment sets it, else the local one, and only under KEEL_PROFILE=local (where the
 * services of `npm start` run with it). The lifetime bound is OPERATOR_TOKEN_MAX_TTL_HOURS's.
 */
export function operatorTokenSettingsFrom(environment: NodeJS.ProcessEnv): OperatorTokenSettings {
  const secret = environment['OPERATOR_TOKEN_SECRET'];
  if ((secret === undefined || secret === '') && environment['KEEL_PROFILE'] !== 'local') {
    throw new Error(
      'OPERATOR_TOKEN_SECRET is not set: set the one the services run with, or KEEL_PROFILE=local for the local Keel of npm start',
    );
  }
  const maxTtlHours = environment['OPERATOR_TOKEN_MAX_TTL_HOURS'];
  return {
    secret: secret === undefined || secret === '' ? LOCAL_OPERATOR_TOKEN_SECRET : secret,
    maxTtlHours: maxTtlHours === undefined ? OPERATOR_TOKEN_MAX_TTL_HOURS_DEFAULT : Number(maxTtlHours),
    clockSkewS: 0,
  };
}

/** `Authorization` of an operator of `role` for the Keel whose services run with `environment`. */
export function operatorAuthorizationFor(
  environment: NodeJS.ProcessEnv,
  role: OperatorRole,
  name = 'keel-tool',
): string {
  return operatorAuthorization(role, { secret: operatorTokenSettingsFrom(environment).secret, name });
}
