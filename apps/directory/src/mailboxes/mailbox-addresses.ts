import {
  checkMailAddress,
  type FieldError,
  isMailAddressError,
  type MailAddress,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_SECONDARY_ADDRESSES,
} from '@mailkeep/contracts';

/** A mailbox's addresses, validated and normalised; `keys` holds the primary's key first. */
export interface MailboxAddresses {
  readonly primary: MailAddress;
  readonly secondaries: readonly MailAddress[];
  readonly keys: readonly string[];
}

/**
 * Validates a mailbox's addresses (SPEC D1). Field names are those of the HTTP body
 * (`primaryAddress`, `secondaryAddresses.<index>`); an address repeated within the mailbox is an error.
 */
export function checkMailboxAddresses(
  primaryAddress: string,
  secondaryAddresses: readonly string[],
): { value: MailboxAddresses } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const primary = checkMailAddress(primaryAddress);
  if (isMailAddressError(primary))
    errors.push({ field: 'primaryAddress', message: `primaryAddress ${primary.error}` });
  if (secondaryAddresses.length > MAX_SECONDARY_ADDRESSES) {
    errors.push({
      field: 'secondaryAddresses',
      message: `secondaryAddresses must contain no more than ${MAX_SECONDARY_ADDRESSES} addresses`,
    });
  }
  const seen = new Set<string>(isMailAddressError(primary) ? [] : [primary.key]);
  const secondaries: MailAddress[] = [];
  secondaryAddresses.forEach((text, index) => {
    const field = `secondaryAddresses.${index}`;
    const checked = checkMailAddress(text);
    if (isMailAddressError(checked)) {
      errors.push({ field, message: `${field} ${checked.error}` });
    } else if (seen.has(checked.key)) {
      errors.push({
        field,
        message: `${field} repeats another address of this mailbox (${checked.address})`,
      });
    } else {
      seen.add(checked.key);
      secondaries.push(checked);
    }
  });
  if (errors.length > 0 || isMailAddressError(primary)) return { errors };
  return { value: { primary, secondaries, keys: [primary.key, ...secondaries.map((s) => s.key)] } };
}

/** Trimmed display name, or a field error when too long. */
export function checkDisplayName(raw: string | undefined): { value: string } | { error: FieldError } {
  const value = (raw ?? '').trim();
  if (value.length > MAX_DISPLAY_NAME_LENGTH) {
    return {
      error: {
        field: 'displayName',
        message: `displayName must be shorter than or equal to ${MAX_DISPLAY_NAME_LENGTH} characters`,
      },
    };
  }
  return { value };
}
