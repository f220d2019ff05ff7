import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Entra ID (Azure AD) application, tenant, group and object ids: GUIDs written as 8-4-4-4-12
 * hex digits, in either case. Entra issues GUIDs that are not RFC 4122 UUIDs (no version or
 * variant bits, e.g. `9a0c0305-e82c-4f89-11d3-3f2504e04f89`), so a UUID check would refuse real ids.
 */
const ENTRA_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isEntraGuid(value: unknown): value is string {
  return typeof value === 'string' && ENTRA_GUID.test(value);
}

/** class-validator rule for an Entra GUID (see {@link isEntraGuid}); the same on request and reply. */
export function IsEntraGuid(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEntraGuid',
      validator: {
        validate: (value: unknown) => isEntraGuid(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a GUID (8-4-4-4-12 hexadecimal digits, e.g. 9a0c0305-e82c-4f89-11d3-3f2504e04f89)`,
      },
    },
    options,
  );
}
