import { ContractError, type SealedSecretWrite, type SecretWriteKey } from '@mailkeep/contracts';
import { deriveWriteKeyPair, openWrite, type WriteTarget } from '@mailkeep/secrets-crypto';
import { Injectable } from '@nestjs/common';

import { MasterKeyRing } from '../crypto/master-key-ring.js';

/**
 * The keys secret writes are sealed to (decision 0026): derived per tenant from the current
 * master key for new writes; any master key still in the ring opens a write, so a write sealed
 * just before a rotation still opens after it.
 */
@Injectable()
export class SecretWriteKeys {
  constructor(private readonly ring: MasterKeyRing) {}

  current(tenantId: string): SecretWriteKey {
    const { keyId, publicKey } = deriveWriteKeyPair(this.ring.current, tenantId);
    return { keyId, publicKey };
  }

  /** The sealed body, parsed; VALIDATION when its key is not in the ring or it does not open. */
  open(sealed: SealedSecretWrite, target: WriteTarget): unknown {
    const master = this.ring.find(sealed.keyId);
    if (master === undefined) {
      throw ContractError.validation([
        {
          field: 'sealed.keyId',
          message: 'not a master key of this secrets service; ask for the write key again',
        },
      ]);
    }
    return openWrite(deriveWriteKeyPair(master, target.tenantId), sealed, target);
  }
}
