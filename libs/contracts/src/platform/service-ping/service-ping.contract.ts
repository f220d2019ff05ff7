import { IsISO8601, IsString, Matches } from 'class-validator';

import { defineRequest } from '../../core/contract.js';

export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

export class ServicePingRequest {
  /** The service that should answer; every other service ignores the ping. */
  @Matches(SERVICE_NAME_PATTERN)
  service!: string;
}

export class ServicePingReply {
  /** The name of the service that answered. */
  @IsString()
  service!: string;
  /** Unique per process, so callers can tell replicas apart. */
  @IsString()
  instanceId!: string;
  /** When this process started (ISO-8601 UTC). */
  @IsISO8601()
  startedAt!: string;
}

/** Liveness of a named service over the bus; every service built on the messaging module answers it. */
export const SERVICE_PING_V1 = defineRequest({
  subject: 'platform.req.service.ping.v1',
  request: ServicePingRequest,
  reply: ServicePingReply,
});
