/**
 * @mailkeep/secrets-crypto: secret plaintexts sealed whenever they cross NATS — resolve replies
 * to the process that resolves them (decision 0022), writes to the secrets service (decision 0026).
 */
export { newRecipient, type Recipient, sealSecret } from './sealed-secret.js';
export { findSecret, resolveSecret } from './resolve-secret.js';
export {
  deriveWriteKeyPair,
  openWrite,
  sealWrite,
  type WriteKeyPair,
  type WriteTarget,
} from './sealed-write.js';
export { createSecret, updateSecret } from './write-secret.js';
