import {
  ContractError,
  DIRECTORY_SERVICE_KINDS,
  type DirectoryServiceType,
  type FieldError,
} from '@mailkeep/contracts';
import { flattenValidationErrors } from '@mailkeep/messaging';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

/** class-validator's words for a field the class does not declare. */
const UNKNOWN_FIELD = /^property (.+) should not exist$/;

/**
 * Validates a directory service's type-specific fields with its type's settings class (SPEC §5):
 * every value rule, and a field the type does not have (another type's, or unknown) is a field
 * error naming it. `null` and `''` count as absent, so a PATCH can remove an optional field.
 * Answers the settings to store, exactly as given (GUIDs are echoed in the client's case).
 */
export async function validateSettings(
  type: DirectoryServiceType,
  fields: Readonly<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const present = Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== null && value !== '' && value !== undefined),
  );
  // forbidUnknownValues stays off: a type without settings (static) has a class with no rules,
  // which that option would refuse as a whole; whitelisting still names every foreign field.
  const errors = await validate(plainToInstance(DIRECTORY_SERVICE_KINDS[type].settings, present), {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
  });
  if (errors.length > 0) {
    throw ContractError.validation(flattenValidationErrors(errors).map((field) => explain(type, field)));
  }
  return present;
}

function explain(type: DirectoryServiceType, error: FieldError): FieldError {
  const unknown = UNKNOWN_FIELD.exec(error.message);
  if (!unknown) return error;
  return { field: error.field, message: `${error.field} is not a setting of a ${type} directory service` };
}
