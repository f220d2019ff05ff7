import { ContractError, PROFILE_GET_V1 } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Injectable } from '@nestjs/common';

/**
 * The other services the scheduler asks, over request–reply. NOT_FOUND becomes `false`; any
 * other failure, a missing responder included (503), propagates: it must never pass as "exists".
 */
@Injectable()
export class RemoteServices {
  constructor(private readonly bus: MessageBus) {}

  async profileExists(tenantId: string, profileId: string): Promise<boolean> {
    try {
      await this.bus.request(PROFILE_GET_V1, { tenantId, id: profileId });
      return true;
    } catch (error) {
      if (error instanceof ContractError && error.code === 'NOT_FOUND') return false;
      throw error;
    }
  }
}
