import {
  CONNECTOR_TEST_CONNECTION_V1,
  ContractError,
  DIRECTORY_SERVICE_DESCRIBE_V1,
  MAILBOX_DESCRIBE_V1,
  type ObjectReference,
  type ProfileType,
  SCHEDULER_REFERENCES_FIND_V1,
  SECRET_DESCRIBE_V1,
  type TestConnectionResult,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Injectable } from '@nestjs/common';

export interface MailboxFacts {
  readonly id: string;
  readonly primaryAddress: string;
  readonly directoryServiceId: string | null;
}

/**
 * The other services the profiles service asks, over request–reply. NOT_FOUND becomes
 * `undefined` (the caller turns it into a field error); any other failure, a missing responder
 * included, propagates: it must never pass as "exists" or "not used".
 */
@Injectable()
export class RemoteServices {
  constructor(private readonly bus: MessageBus) {}

  async secretType(tenantId: string, id: string): Promise<string | undefined> {
    return (await this.bus.find(SECRET_DESCRIBE_V1, { tenantId, id }))?.type;
  }

  async mailbox(tenantId: string, id: string): Promise<MailboxFacts | undefined> {
    const found = await this.bus.find(MAILBOX_DESCRIBE_V1, { tenantId, id });
    if (found === undefined) return undefined;
    return {
      id: found.id,
      primaryAddress: found.primaryAddress,
      directoryServiceId: found.directoryServiceId ?? null,
    };
  }

  async directoryServiceExists(tenantId: string, id: string): Promise<boolean> {
    return (await this.bus.find(DIRECTORY_SERVICE_DESCRIBE_V1, { tenantId, id })) !== undefined;
  }

  async schedulesUsing(tenantId: string, profileId: string): Promise<ObjectReference[]> {
    const reply = await this.bus.request(SCHEDULER_REFERENCES_FIND_V1, {
      tenantId,
      kind: 'archiving-profile',
      id: profileId,
    });
    return reply.references;
  }

  /**
   * Asks the connector pool of the type. The wait covers the connector's own timeout for each
   * network step plus a margin, so the connector reports a timeout before we give up on it.
   */
  async testConnection(
    type: ProfileType,
    request: {
      tenantId: string;
      profile: Record<string, unknown>;
      mailbox: { id: string; primaryAddress: string };
    },
    connectorTimeoutSeconds: number,
  ): Promise<TestConnectionResult> {
    try {
      return await this.bus.request(CONNECTOR_TEST_CONNECTION_V1[type], request, {
        timeoutMs: (connectorTimeoutSeconds * 2 + 15) * 1000,
      });
    } catch (error) {
      if (error instanceof ContractError && error.reason === 'no_responders') {
        throw new ContractError('UNAVAILABLE', `No ${type} connector is running to test the connection`, {
          reason: 'connector_unavailable',
        });
      }
      throw error;
    }
  }
}
