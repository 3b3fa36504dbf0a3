/**
 * class-transformer 0.5 ships the types of its metadata storage (types/storage.d.ts) but not beside
 * the CommonJS file its index loads, which is the one instance its decorators write to.
 */
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
