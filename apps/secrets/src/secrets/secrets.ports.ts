import type { ObjectReference } from '@mailkeep/contracts';

/**
 * Who references a secret (profiles, directory services), as their owning services report it.
 * An abstract class so that it is its own Nest injection token; the NATS gateway implements it.
 */
export abstract class SecretReferences {
  /**
   * Every reference, for a guarded delete. Throws the ContractError of a service that cannot be
   * asked (UNAVAILABLE, TIMEOUT): an unanswered question is never "no references".
   */
  abstract findAll(tenantId: string, secretId: string): Promise<ObjectReference[]>;
  /** The references that could be learnt, for display: a service that does not answer adds none. */
  abstract findForDisplay(tenantId: string, secretId: string): Promise<ObjectReference[]>;
}
