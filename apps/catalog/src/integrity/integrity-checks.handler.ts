import {
  INTEGRITY_CHECK_GET_V1,
  INTEGRITY_CHECK_START_V1,
  type IntegrityCheck,
  type IntegrityCheckRef,
  type IntegrityCheckStartRequest,
} from '@mailkeep/contracts';
import { HandleRequest } from '@mailkeep/messaging';
import { Controller } from '@nestjs/common';

import { IntegrityChecksService } from './integrity-checks.service.js';

/** Integrity checks on the bus (A4). */
@Controller()
export class IntegrityChecksHandler {
  constructor(private readonly checks: IntegrityChecksService) {}

  @HandleRequest(INTEGRITY_CHECK_START_V1)
  start(request: IntegrityCheckStartRequest): Promise<IntegrityCheck> {
    return this.checks.start(request.tenantId);
  }

  @HandleRequest(INTEGRITY_CHECK_GET_V1)
  get(request: IntegrityCheckRef): Promise<IntegrityCheck> {
    return this.checks.get(request.tenantId, request.id);
  }
}
