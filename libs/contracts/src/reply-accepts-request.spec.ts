import { getMetadataStorage, IsString, IsUUID, MaxLength, validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';

import {
  ALL_CONTRACTS,
  type AnyRequestContract,
  SecretCreateBody,
  type PayloadClass,
  SECRET_CREATE_V2,
  SECRET_UPDATE_V2,
  SecretUpdateBody,
} from './index.js';

/**
 * Issue 19: a write must never answer 5xx after it committed. The requester validates every reply
 * with the reply class, so a value the request class accepts and the reply class refuses is
 * stored, then refused. This walks every request contract in the registry and, for every field
 * the request and its reply share, checks that each value the request accepts, edge values
 * included, is accepted by the reply too. The values are derived from the request's own
 * validation metadata (lengths, bounds, enumerations) plus a pool of edge values.
 * Profile payloads are free-form on the bus and checked against the profile rules in the
 * profiles service (profile-reply.spec.ts there).
 */

/**
 * Fields that name an object rather than carry a value: the service looks the object up, answers
 * NOT_FOUND for anything it does not hold, and the reply shows the stored value, not the echo.
 */
const LOOKUP_KEYS = new Set(['id']);

const UNICODE = ['é', 'ß', '中', '📧']; // two-byte, German, CJK and a surrogate pair (one character each)
const EDGE_VALUES: readonly unknown[] = [
  '9a0c0305-e82c-4f89-11d3-3f2504e04f89', // a GUID Entra issues that is not an RFC 4122 UUID
  '9A0C0305-E82C-4F89-11D3-3F2504E04F89',
  '72F988BF-86F1-41AF-91AB-2D7CD011DB47', // RFC 4122 v4, upper case
  '00000000-0000-0000-0000-000000000000',
  '2026-03-29T01:30:00.000Z',
  '2026-03-29T03:30:00+02:00',
  'Journal – Zürich 東京 📧',
  ' padded ',
  'a',
  '',
  0,
  1,
  -1,
  true,
  false,
];

type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

function rulesOf(payload: PayloadClass<object>, property: string): ValidationMetadata[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(payload, '', true, false)
    .filter((rule) => rule.propertyName === property);
}

function propertiesOf(payload: PayloadClass<object>): Set<string> {
  return new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(payload, '', true, false)
      .map((rule) => rule.propertyName),
  );
}

/** Edge values the request's own rules point at: each length limit filled, each bound, each choice. */
function derivedValues(rules: readonly ValidationMetadata[]): unknown[] {
  const values: unknown[] = [];
  for (const rule of rules) {
    const [first, second] = (rule.constraints ?? []) as unknown[];
    switch (rule.name ?? '') {
      case 'maxLength':
      case 'length': {
        const max = (rule.name === 'length' ? second : first) as number | undefined;
        if (typeof max === 'number' && max < 100_000) {
          values.push('a'.repeat(max), ...UNICODE.map((char) => char.repeat(max)));
        }
        break;
      }
      case 'min':
      case 'max':
        values.push(first, typeof first === 'number' ? first + 1 : first);
        break;
      case 'isIn':
        values.push(...(first as unknown[]));
        break;
      default:
        break;
    }
  }
  return values;
}

/** Whether one property's rules accept a value (the other properties left out and not judged). */
function accepts(payload: PayloadClass<object>, property: string, value: unknown): boolean {
  const instance = Object.assign(new payload(), { [property]: value });
  const errors = validateSync(instance, { skipMissingProperties: true });
  return !errors.some((error) => error.property === property);
}

/** A value in a failure message: long strings shortened, their length kept. */
function shown(value: unknown): string {
  if (typeof value !== 'string' || value.length <= 40) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, 8))}… (${[...value].length} characters)`;
}

/** Every `field=value` the request accepts and the reply refuses, over the fields both carry. */
function refusedByReply(request: PayloadClass<object>, reply: PayloadClass<object>): string[] {
  const replyProperties = propertiesOf(reply);
  const shared = [...propertiesOf(request)].filter(
    (property) => replyProperties.has(property) && !LOOKUP_KEYS.has(property),
  );
  const refused: string[] = [];
  for (const property of shared) {
    for (const value of [...EDGE_VALUES, ...derivedValues(rulesOf(request, property))]) {
      if (accepts(request, property, value) && !accepts(reply, property, value)) {
        refused.push(`${property}=${shown(value)}`);
      }
    }
  }
  return refused;
}

const requestContracts = ALL_CONTRACTS.filter(
  (contract): contract is AnyRequestContract => contract.kind === 'request',
);

/** Sealed writes (decision 0026) carry their body in a ciphertext: the sealed class is what the reply must accept. */
const SEALED_BODIES = [
  [SECRET_CREATE_V2, SecretCreateBody],
  [SECRET_UPDATE_V2, SecretUpdateBody],
] as const;

describe('every reply accepts what its request accepts (issue 19)', () => {
  it.each(requestContracts.map((contract) => [contract.subject, contract] as const))(
    '%s',
    (_subject, contract) => {
      expect(refusedByReply(contract.request, contract.reply)).toEqual([]);
    },
  );

  it.each(SEALED_BODIES.map(([contract, body]) => [contract.subject, contract, body] as const))(
    '%s (its sealed body)',
    (_subject, contract, body) => {
      expect(refusedByReply(body, contract.reply)).toEqual([]);
    },
  );

  it('finds the disagreement of issue 19 when it is there', () => {
    // In miniature: a request that takes any GUID, a reply that wants an RFC 4122 UUID.
    class Request {
      @IsString()
      @MaxLength(36)
      directoryId!: string;
    }
    class Reply {
      @IsUUID('all')
      directoryId!: string;
    }
    expect(refusedByReply(Request, Reply)).toContain('directoryId="9a0c0305-e82c-4f89-11d3-3f2504e04f89"');
    expect(refusedByReply(Request, Request)).toEqual([]);
  });
});
