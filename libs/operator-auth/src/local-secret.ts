/**
 * OPERATOR_TOKEN_SECRET under KEEL_PROFILE=local (npm start, the tests, the bench and the chaos
 * runs), public like the PSP simulator's credentials: tokens signed with it open only a local Keel.
 */
export const LOCAL_OPERATOR_TOKEN_SECRET = 'keel-local-operator-token-secret-not-for-production';
