import { Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';

import { defineRequest } from '../../core/contract.js';

/** Kinds of object that other objects point at, and whose deletion is guarded (P5, S5, D2, D5). */
export const REFERENCED_KINDS = ['secret', 'mailbox', 'directory-service', 'archiving-profile'] as const;
export type ReferencedKind = (typeof REFERENCED_KINDS)[number];

export class ReferencesFindRequest {
  /** The tenant both objects belong to. */
  @IsUUID()
  tenantId!: string;
  /** What kind of object is about to be deleted. */
  @IsIn(REFERENCED_KINDS)
  kind!: ReferencedKind;
  /** Its id. */
  @IsUUID()
  id!: string;
}

export class ObjectReference {
  /** The kind of the referencing object, e.g. `archiving-profile`, `schedule`, `directory-service`. */
  @IsString()
  @MaxLength(50)
  kind!: string;
  /** Its id. */
  @IsString()
  @MaxLength(200)
  id!: string;
  /** Its name, for the error message a person reads. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class ReferencesFindReply {
  /** Every object of the answering service that references the object; empty when none. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ObjectReference)
  references!: ObjectReference[];
}

/**
 * "Who points at this object?" Each service that holds references answers for its own objects on
 * its own subject. A guarded delete asks every such service and refuses when any answers with a
 * reference — or does not answer at all (a missing responder is UNAVAILABLE, never a pass).
 */
export const PROFILES_REFERENCES_FIND_V1 = defineRequest({
  subject: 'profiles.req.references.find.v1',
  request: ReferencesFindRequest,
  reply: ReferencesFindReply,
});

export const DIRECTORY_REFERENCES_FIND_V1 = defineRequest({
  subject: 'directory.req.references.find.v1',
  request: ReferencesFindRequest,
  reply: ReferencesFindReply,
});

export const SCHEDULER_REFERENCES_FIND_V1 = defineRequest({
  subject: 'scheduler.req.references.find.v1',
  request: ReferencesFindRequest,
  reply: ReferencesFindReply,
});
