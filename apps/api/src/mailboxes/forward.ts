import { ContractError } from '@mailkeep/contracts';

/**
 * A JSON body passed on to the owning service, which validates it (its field errors come back as
 * 400 `errors` named as in the body). Fields the path decides cannot be set from the body.
 */
export function forwardBody<Fixed extends Record<string, unknown>>(
  body: unknown,
  fixed: Fixed,
): Record<string, unknown> & Fixed {
  if (body === undefined || body === null) return { ...fixed };
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw ContractError.validation([{ field: '', message: 'the body must be a JSON object' }]);
  }
  const taken = Object.keys(fixed).filter((key) => key in body);
  if (taken.length > 0) {
    throw ContractError.validation(
      taken.map((field) => ({ field, message: `property ${field} should not exist` })),
    );
  }
  return { ...(body as Record<string, unknown>), ...fixed };
}
