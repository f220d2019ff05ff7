import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * What an Entra ID GUID is (application / client ids, directory / tenant ids): 32 hex digits in
 * the 8-4-4-4-12 groups, either case. Entra shows them without braces. Deliberately not an
 * RFC 4122 check (class-validator's `IsUUID`): GUIDs issued by Windows and Entra need not carry
 * the RFC version and variant nibbles, e.g. `9a0c0305-e82c-4f89-11d3-3f2504e04f89` is a valid
 * GUID that `IsUUID` rejects. Every place that accepts or shows an Entra GUID uses this one
 * definition, so the request side and the reply side cannot disagree (issue 19). The pattern is a
 * string (no flags) so that the OpenAPI schema can carry it as `pattern` too.
 */
export const ENTRA_GUID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const ENTRA_GUID = new RegExp(ENTRA_GUID_PATTERN);

export function isEntraGuid(value: unknown): value is string {
  return typeof value === 'string' && ENTRA_GUID.test(value);
}

/** The stored form: trimmed and lower-cased, so two spellings of one GUID compare equal. */
export function normalizeEntraGuid(value: string): string {
  return value.trim().toLowerCase();
}

/** class-validator decorator for {@link isEntraGuid}. */
export function IsEntraGuid(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEntraGuid',
      validator: {
        validate: (value: unknown) => isEntraGuid(value),
        defaultMessage: () =>
          '$property must be a GUID (8-4-4-4-12 hexadecimal digits, like 00000000-0000-0000-0000-000000000000)',
      },
    },
    options,
  );
}
