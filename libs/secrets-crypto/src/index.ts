/**
 * @mailkeep/secrets-crypto: secret plaintexts sealed to the process that resolves them, so they
 * never cross NATS readable (decision 0022).
 */
export { newRecipient, type Recipient, sealSecret } from './sealed-secret.js';
export { findSecret, resolveSecret } from './resolve-secret.js';
