import type { SchemaObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

import { ENTRA_GUID_PATTERN } from '@mailkeep/contracts';

/** A class of libs/contracts whose properties carry class-validator rules. */
export type RuledClass = abstract new (...args: never[]) => object;

/** One property of a ruled class: its JSON schema and whether the class lets it be absent. */
export interface PropertySchema {
  readonly schema: SchemaObject;
  readonly optional: boolean;
  /** The class of a nested object (`ValidateNested`), documented as its own schema. */
  readonly nested?: RuledClass;
}

interface RuleMetadata {
  readonly type: string;
  readonly name?: string;
  readonly propertyName: string;
  readonly constraints?: unknown[];
  readonly each?: boolean;
}

/**
 * What each class-validator rule says in JSON schema. A rule missing here throws when the document
 * is built (the api does not start, its tests fail), so a new rule on a contract class can never
 * be documented as "anything".
 */
const RULE_SCHEMAS: Record<string, (constraints: unknown[]) => SchemaObject> = {
  isString: () => ({ type: 'string' }),
  isBoolean: () => ({ type: 'boolean' }),
  isInt: () => ({ type: 'integer' }),
  isUuid: () => ({ type: 'string', format: 'uuid' }),
  isIso8601: () => ({ type: 'string', format: 'date-time' }),
  isEntraGuid: () => ({ type: 'string', pattern: ENTRA_GUID_PATTERN }),
  isArray: () => ({ type: 'array' }),
  isIn: ([values]) => {
    const allowed = [...(values as readonly unknown[])];
    return allowed.every((v) => typeof v === 'string')
      ? { type: 'string', enum: allowed }
      : { enum: allowed };
  },
  min: ([minimum]) => ({ minimum: minimum as number }),
  max: ([maximum]) => ({ maximum: maximum as number }),
  maxLength: ([maxLength]) => ({ maxLength: maxLength as number }),
};

/**
 * The JSON schema of each property of a class, read from the class-validator rules that validate
 * it on the bus: the OpenAPI document and the validation cannot disagree.
 */
export function propertySchemas(target: RuledClass): Map<string, PropertySchema> {
  const rules: readonly RuleMetadata[] = getMetadataStorage().getTargetValidationMetadatas(
    target,
    '',
    true,
    false,
  );
  const properties = new Map<string, { schema: SchemaObject; optional: boolean; nested?: RuledClass }>();
  for (const rule of rules) {
    const property = properties.get(rule.propertyName) ?? { schema: {}, optional: false };
    properties.set(rule.propertyName, property);
    if (rule.type === 'conditionalValidation' && rule.name === 'isOptional') {
      property.optional = true;
    } else if (rule.type === 'nestedValidation') {
      property.nested = nestedClassOf(target, rule.propertyName);
      // allOf, because OpenAPI 3.0 ignores a description next to a bare $ref.
      property.schema.allOf = [{ $ref: schemaRef(property.nested) }];
    } else if (rule.type === 'customValidation' && rule.name !== undefined && rule.name in RULE_SCHEMAS) {
      const schema = RULE_SCHEMAS[rule.name]!(rule.constraints ?? []);
      if (rule.each) {
        property.schema.items = { ...(property.schema.items as SchemaObject | undefined), ...schema };
      } else {
        Object.assign(property.schema, schema);
      }
    } else {
      throw new Error(
        `No OpenAPI schema for the rule ${rule.name ?? rule.type} of ${target.name}.${rule.propertyName}: ` +
          'add it to RULE_SCHEMAS (apps/api/src/openapi/class-schema.ts)',
      );
    }
  }
  return properties;
}

/** Where the document keeps a nested class's schema (see `objectSchema`). */
export function schemaRef(target: RuledClass): string {
  return `#/components/schemas/${target.name}`;
}

/** The design type TypeScript records for a nested property (`folders?: ProfileFolders`). */
function nestedClassOf(target: RuledClass, property: string): RuledClass {
  const type: unknown = Reflect.getMetadata('design:type', target.prototype as object, property);
  if (typeof type !== 'function' || type === Object) {
    throw new Error(`${target.name}.${property} is nested but its class is not recorded`);
  }
  return type as RuledClass;
}

/** An object schema of every property of a class, as the class requires them. */
export function objectSchema(target: RuledClass): SchemaObject {
  const properties = propertySchemas(target);
  const required = [...properties].filter(([, p]) => !p.optional).map(([name]) => name);
  return {
    type: 'object',
    properties: Object.fromEntries([...properties].map(([name, p]) => [name, p.schema])),
    ...(required.length > 0 && { required }),
  };
}
