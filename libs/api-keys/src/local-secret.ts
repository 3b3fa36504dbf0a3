/**
 * API_KEY_HASH_SECRET under KEEL_PROFILE=local (npm start, the tests, the bench and the chaos runs),
 * public like the PSP simulator's credentials: keys hashed with it open only a local Keel.
 */
export const LOCAL_API_KEY_HASH_SECRET = 'keel-local-api-key-hash-secret-not-for-production';
