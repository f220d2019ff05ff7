import type { ObjectReference, ReferencedKind } from '@mailkeep/contracts';

/** Services that may hold references to directory objects and answer "who points at this?". */
export type ReferenceHolder = 'profiles' | 'scheduler';

/**
 * The port a guarded delete asks (SPEC D2, D5). Throws UNAVAILABLE when a holder does not answer:
 * a missing answer is never taken as "not referenced".
 */
export abstract class ReferenceFinder {
  abstract find(
    holders: readonly ReferenceHolder[],
    query: { tenantId: string; kind: ReferencedKind; id: string },
  ): Promise<ObjectReference[]>;
}
