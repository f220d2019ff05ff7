import { ContractError, type FieldError } from '@mailkeep/contracts';
import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';

/**
 * Nesting deeper than this is refused before class-transformer walks it (it recurses, and JSON
 * nested 5,000 deep overflowed its stack: a 500). No request of this API nests beyond 5 levels;
 * 32 leaves room for any future shape.
 */
export const MAX_INPUT_DEPTH = 32;

/** Keys that class-transformer or a careless merge would read as the object's machinery. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks every body, query and path value before validation, without recursion: too deep, a
 * prototype key, or a NUL character (PostgreSQL cannot store one in text) is a 400 naming the
 * field — never a stack overflow, a type error or a database error answered as a 500.
 */
@Injectable()
export class InputGuardPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const root = metadata.type === 'param' ? (metadata.data ?? 'path') : '';
    const errors = inputErrors(value, root);
    if (errors.length > 0) throw ContractError.validation(errors, 'The request is invalid');
    return value;
  }
}

/** Field errors of a parsed input, at most one per problem kind and path (depth-first, iterative). */
export function inputErrors(input: unknown, rootPath = ''): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: input, path: rootPath, depth: 0 },
  ];
  while (stack.length > 0 && errors.length < 20) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000'))
        errors.push({ field: path || 'body', message: 'must not contain a NUL character' });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      errors.push({ field: path || 'body', message: `is nested more than ${MAX_INPUT_DEPTH} levels deep` });
      continue;
    }
    const entries = Array.isArray(value)
      ? value.map((item, i) => [String(i), item] as const)
      : Object.entries(value);
    for (const [key, child] of entries) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!Array.isArray(value) && (FORBIDDEN_KEYS.has(key) || key.includes('\u0000'))) {
        errors.push({
          field: childPath.replaceAll('\u0000', '\\0'),
          message: 'is not an allowed property name',
        });
        continue;
      }
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return errors;
}
