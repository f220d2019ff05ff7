import { ContractError, type FieldError, type PayloadClass } from '@mailkeep/contracts';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';

import { certainlyValid, flatInstance } from './compiled-validation.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decodeJson(data: Uint8Array): unknown {
  if (data.length === 0) return {};
  try {
    return JSON.parse(decoder.decode(data)) as unknown;
  } catch {
    throw ContractError.validation(
      [{ field: '', message: 'payload is not UTF-8 JSON' }],
      'The payload is not JSON',
    );
  }
}

/**
 * Turns a received plain object into a validated payload instance. Unknown fields are errors
 * (a sender on a newer contract version must use the new subject), so nothing unvalidated
 * reaches a handler.
 */
export async function toValidPayload<T extends object>(
  payloadClass: PayloadClass<T>,
  plain: unknown,
): Promise<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw ContractError.validation([{ field: '', message: 'payload must be a JSON object' }]);
  }
  const instance = flatInstance(payloadClass, plain) ?? plainToInstance(payloadClass, plain);
  if (certainlyValid(instance)) return instance;
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
  });
  if (errors.length > 0) throw ContractError.validation(flattenValidationErrors(errors));
  return instance;
}

export async function decodePayload<T extends object>(
  payloadClass: PayloadClass<T>,
  data: Uint8Array,
): Promise<T> {
  return toValidPayload(payloadClass, decodeJson(data));
}

/** class-validator nests errors of nested objects; report them as dotted field paths. */
export function flattenValidationErrors(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  const fields: FieldError[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) fields.push({ field, message });
    if (error.children?.length) fields.push(...flattenValidationErrors(error.children, field));
  }
  return fields;
}
