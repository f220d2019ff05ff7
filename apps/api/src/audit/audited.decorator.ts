import { SetMetadata } from '@nestjs/common';

export const AUDITED = Symbol('mailkeep:audited');

export interface AuditedMetadata {
  /** `<object type>.<verb>`, e.g. `tenant.create`. */
  readonly action: string;
  readonly objectType: string;
}

/** Names the audit action of a write route; writes without it are still audited by method and path. */
export const Audited = (action: string, objectType: string): MethodDecorator =>
  SetMetadata(AUDITED, { action, objectType } satisfies AuditedMetadata);
