import { ContractError, type RequestContract } from '@mailkeep/contracts';

import { toValidPayload } from './payload-codec.js';

/**
 * Validates a reply against its contract on the responder's side, exactly as the requester will
 * (`MessageBus.request` decodes every reply with the same class). Write paths call it before they
 * commit, so a reply the requester would refuse rolls the write back (issue 19) instead of being
 * refused after the change is stored. The error names the fields; it is the service's own fault,
 * never the caller's input, hence INTERNAL with a stable reason.
 */
export async function assertValidReply<Rep extends object>(
  contract: RequestContract<object, Rep>,
  reply: Rep,
): Promise<Rep> {
  try {
    return await toValidPayload(contract.reply, reply);
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    const fields = error.fields ?? [];
    const detail = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
    throw new ContractError(
      'INTERNAL',
      `Nothing was saved: the reply on ${contract.subject} would break its contract (${detail || error.message})`,
      { reason: 'invalid_reply', fields },
    );
  }
}
