export * from './credit-chunk';
export * from './entry-cursor';
export * from './entry-page';
export * from './wallet-credit';
export * from './wallet-entry';
export * from './wallet.error';
