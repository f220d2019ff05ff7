import { ALL_CONTRACTS, type AnyContract } from '@mailkeep/contracts';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, IsInt, IsOptional, IsString, validate, ValidateIf } from 'class-validator';
import { describe, expect, it } from 'vitest';

import { certainlyValid, flatInstance } from './compiled-validation.js';

type Cls = new () => object;
const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/** Values tried for every property: enough shapes that most properties find a valid one. */
const GENERIC_VALUES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'INBOX',
  '0b5a3f0e-9a43-4c55-8d7e-1f8f6f0f2b11',
  '2026-12-04T10:00:00.000Z',
  'a'.repeat(64),
  'user@example.com',
  'mail.example.com',
  'https://example.com/x',
  'imap',
  'x'.repeat(70_000),
  0,
  1,
  -1,
  1.5,
  993,
  65_536,
  Number.NaN,
  true,
  false,
  [],
  ['x'],
  {},
];

interface Metadata {
  type: string;
  propertyName: string;
  constraints?: unknown[];
  target: unknown;
}

function metadataOf(cls: Cls): Metadata[] {
  return (
    getMetadataStorage() as unknown as {
      getTargetValidationMetadatas(c: Cls, s: undefined, a: boolean, g: boolean): Metadata[];
    }
  ).getTargetValidationMetadatas(cls, undefined, false, false);
}

/** Primitive constraint arguments (IsIn lists, Min/Max, lengths) are good candidates too. */
function candidatesFor(cls: Cls, property: string, nested: Map<string, unknown[]>): unknown[] {
  const fromConstraints = metadataOf(cls)
    .filter((m) => m.propertyName === property)
    .flatMap((m) => (m.constraints ?? []).flat())
    .filter((v) => typeof v === 'string' || typeof v === 'number');
  return [...(nested.get(property) ?? []), ...fromConstraints, ...GENERIC_VALUES];
}

async function valid(instance: object): Promise<boolean> {
  return (await validate(instance, OPTIONS)).length === 0;
}

/** Builds a payload property by property, keeping the first candidate class-validator accepts. */
async function solve(cls: Cls, depth = 0): Promise<Record<string, unknown>> {
  const properties = [...new Set(metadataOf(cls).map((m) => m.propertyName))];
  const nested = new Map<string, unknown[]>();
  if (depth < 3) {
    for (const m of metadataOf(cls).filter((x) => x.type === 'nestedValidation')) {
      const type = nestedType(cls, m.propertyName);
      if (type) {
        const child = await solve(type, depth + 1);
        nested.set(m.propertyName, [[child], child, [child, child]]);
      }
    }
  }
  const plain: Record<string, unknown> = {};
  for (const property of properties) {
    for (const candidate of candidatesFor(cls, property, nested)) {
      const errors = await validate(plainToInstance(cls, { ...plain, [property]: candidate }), OPTIONS);
      if (!errors.some((e) => e.property === property)) {
        if (candidate !== undefined) plain[property] = candidate;
        break;
      }
    }
  }
  return plain;
}

function nestedType(cls: Cls, property: string): Cls | undefined {
  // class-transformer's @Type tells the nested class; the payload classes all use it.
  const instance = plainToInstance(cls, { [property]: {} }) as Record<string, unknown>;
  const value = instance[property];
  return value && value.constructor !== Object ? (value.constructor as Cls) : undefined;
}

/** The payload's variations: as solved, each property dropped, each replaced by every candidate, an extra key. */
async function variations(cls: Cls): Promise<{ base: Record<string, unknown>; all: unknown[] }> {
  const base = await solve(cls);
  const all: unknown[] = [base, { ...base, unexpected: 1 }];
  const nested = new Map<string, unknown[]>();
  for (const property of new Set(metadataOf(cls).map((m) => m.propertyName))) {
    const { [property]: _dropped, ...without } = base;
    all.push(without);
    for (const candidate of candidatesFor(cls, property, nested))
      all.push({ ...base, [property]: candidate });
  }
  return { base, all };
}

function payloadClasses(contract: AnyContract): Cls[] {
  return contract.kind === 'request' ? [contract.request, contract.reply] : [contract.payload];
}

describe('compiled validation', () => {
  it('agrees with class-validator on every payload class of the contracts, valid and invalid', async () => {
    const classes = [...new Set(ALL_CONTRACTS.flatMap(payloadClasses))];
    let validBases = 0;
    let compared = 0;
    for (const cls of classes) {
      const { base, all } = await variations(cls);
      if (await valid(plainToInstance(cls, base))) validBases++;
      for (const plain of all) {
        const instance = plainToInstance(cls, plain);
        const expected = await valid(instance);
        expect({ cls: cls.name, plain, fast: certainlyValid(instance) === true }).toEqual({
          cls: cls.name,
          plain,
          fast: expected,
        });
        compared++;
      }
    }
    // The comparison is only worth something if most classes were also seen valid.
    expect(validBases).toBeGreaterThan(classes.length * 0.8);
    expect(compared).toBeGreaterThan(1_000);
  });

  it('converts flat payloads exactly like class-transformer, and leaves the rest to it', async () => {
    const classes = [...new Set(ALL_CONTRACTS.flatMap(payloadClasses))];
    let fast = 0;
    for (const cls of classes) {
      for (const plain of (await variations(cls)).all as object[]) {
        const converted = flatInstance(cls, plain);
        if (converted === undefined) continue;
        fast++;
        const reference = plainToInstance(cls, plain);
        expect(Object.getPrototypeOf(converted)).toBe(Object.getPrototypeOf(reference));
        expect(Object.entries(converted)).toEqual(Object.entries(reference));
      }
    }
    expect(fast).toBeGreaterThan(500);
  });

  it('asks class-validator for prototype names, nested values and decorators it does not know', () => {
    class Flat {
      @IsString()
      name!: string;
    }
    expect(flatInstance(Flat, { name: 'a' })).toBeInstanceOf(Flat);
    expect(flatInstance(Flat, JSON.parse('{"__proto__": {"polluted": true}}') as object)).toBeUndefined();
    expect(flatInstance(Flat, { constructor: 'x' })).toBeUndefined();
    expect(flatInstance(Flat, { name: { nested: true } })).toBeUndefined();
    expect(certainlyValid({ name: 'a' })).toBeUndefined(); // a plain object: forbidUnknownValues
    expect(certainlyValid(Object.create(null) as object)).toBeUndefined();
  });

  it('evaluates conditions and optional properties as class-validator does', async () => {
    class Conditional {
      @IsString()
      mode!: string;
      @ValidateIf((o: Conditional) => o.mode === 'port')
      @IsInt()
      port?: number;
      @IsOptional()
      @IsString()
      note?: string;
    }
    const cases = [
      { mode: 'port', port: 993 },
      { mode: 'port', port: 'x' },
      { mode: 'other', port: 'x' },
      { mode: 'other', note: null },
      { mode: 'other', note: 3 },
    ];
    for (const plain of cases) {
      const instance = plainToInstance(Conditional, plain);
      expect(certainlyValid(instance) === true).toBe(await valid(instance));
    }
  });
});
