import { resolve } from 'node:path';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/*
 * Conversions and rules shared by the fragments.
 *
 * Conversions never throw and never "fix" a bad value: when a string cannot be converted it is
 * passed through unchanged so that the validator rejects it with the variable's message.
 * Conversions also receive typed defaults (a number, an array), because defaults go through the
 * same pipeline as values read from the environment.
 */

interface TransformInput {
  value: unknown;
}

/** Decimal digits only: `Number('0x1F')`, `Number('1e3')` and `Number(' 8 ')` would all pass otherwise. */
export const ToInt = (): PropertyDecorator =>
  Transform(({ value }: TransformInput) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  );

/** A comma-separated list (empty entries dropped) becomes an array. */
export const ToList = (): PropertyDecorator =>
  Transform(({ value }: TransformInput) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '')
      : value,
  );

/** Paths are resolved once, against the working directory at start-up, so later `chdir`s don't move them. */
export const ToAbsolutePath = (): PropertyDecorator =>
  Transform(({ value }: TransformInput) => (typeof value === 'string' ? resolve(value) : value));

/** Parses `value` as a URL whose scheme is one of `protocols` and that names a host. */
export function isUrlWithProtocol(value: unknown, protocols: readonly string[]): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return protocols.includes(url.protocol.slice(0, -1)) && url.hostname !== '';
}

/** `@IsUrlWithProtocol(['http', 'https'])`; with `{ each: true }` for lists. */
export function IsUrlWithProtocol(
  protocols: readonly string[],
  options: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isUrlWithProtocol',
      validator: {
        // With `{ each: true }` class-validator calls this once per list item.
        validate: (value: unknown) => isUrlWithProtocol(value, protocols),
      },
    },
    options,
  );
}

/** A non-empty list (used with `ToList`): an env var that lists nothing is a mistake, not "none". */
export function IsNonEmptyList(options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNonEmptyList',
      validator: { validate: (value: unknown) => Array.isArray(value) && value.length > 0 },
    },
    options,
  );
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict (padded, standard alphabet) base64 that decodes to exactly `bytes` bytes. */
export function IsBase64OfLength(bytes: number, options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBase64OfLength',
      validator: {
        // Buffer.from(…, 'base64') silently skips invalid characters, hence the regex first.
        validate: (value: unknown) =>
          typeof value === 'string' && BASE64.test(value) && Buffer.from(value, 'base64').length === bytes,
      },
    },
    options,
  );
}

/** Rejects the property when `other` is set too (two sources for one setting are ambiguous). */
export function IsNotSetWith(other: string, options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotSetWith',
      validator: {
        validate: (value: unknown, args) =>
          value === undefined || (args?.object as Record<string, unknown> | undefined)?.[other] === undefined,
      },
    },
    options,
  );
}
