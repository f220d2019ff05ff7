import 'reflect-metadata';

import type { SchemaObject } from '@nestjs/swagger';
import { IsEmail } from 'class-validator';
import { describe, expect, it } from 'vitest';

import {
  COMMON_PROFILE_PROPERTIES,
  ENTRA_GUID_PATTERN,
  PROFILE_PROPERTY_TABLE,
  PROFILE_TYPES,
  type ProfileType,
  PROTOCOLS_BY_TYPE,
} from '@mailkeep/contracts';

import { objectSchema } from '../../openapi/class-schema.js';
import { PROFILE_SCHEMA_NAMES, profileSchemas } from './profile-schemas.js';

const schemas = profileSchemas();
const NAMES = {
  imap: 'ImapProfile',
  pop3: 'Pop3Profile',
  exchange: 'ExchangeProfile',
  m365: 'M365Profile',
  'google-workspace': 'GoogleWorkspaceProfile',
} as const satisfies Record<ProfileType, string>;

const tableRows = Object.entries(PROFILE_PROPERTY_TABLE) as [string, Partial<Record<ProfileType, object>>][];
/** The table's properties of a type, in any mode, and those required in every mode. */
const usedBy = (type: ProfileType) => tableRows.filter(([, row]) => row[type]).map(([name]) => name);
const requiredBy = (type: ProfileType) =>
  tableRows
    .filter(([, row]) => {
      const cell = row[type] as { use: string; mode?: string } | undefined;
      return cell?.use === 'required' && cell.mode === undefined;
    })
    .map(([name]) => name);

describe('the OpenAPI schemas of archiving profiles', () => {
  it.each(PROFILE_TYPES)(
    '%s: the create body has the common properties and the table’s, no other',
    (type) => {
      const create = schemas[`${NAMES[type]}Create`]!;
      expect(Object.keys(create.properties ?? {}).sort()).toEqual(
        [...COMMON_PROFILE_PROPERTIES, ...usedBy(type)].sort(),
      );
      expect([...(create.required ?? [])].sort()).toEqual(
        ['name', 'type', 'mode', 'credentialsSecretId', ...requiredBy(type)].sort(),
      );
      expect(create.properties?.['type']).toMatchObject({ enum: [type] });
    },
  );

  it.each(PROFILE_TYPES)(
    '%s: the view adds the stored properties; a PATCH body requires only its type',
    (type) => {
      const view = schemas[NAMES[type]]!;
      expect(view.required).toEqual(
        expect.arrayContaining(['id', 'version', 'createdAt', 'updatedAt', 'deleteInSource']),
      );
      const update = schemas[`${NAMES[type]}Update`]!;
      expect(update.required).toEqual(['type']);
      expect(Object.keys(update.properties ?? {})).not.toContain('id');
    },
  );

  it('narrows the protocol to the type’s and names its default ports', () => {
    const imap = schemas['ImapProfileCreate']!.properties!;
    expect(imap['protocol']).toMatchObject({ enum: PROTOCOLS_BY_TYPE.imap });
    expect((imap['port'] as SchemaObject).description).toContain('993 for imap-ssl, 143 for imap-tls');
    expect(schemas['Pop3ProfileCreate']!.properties!['protocol']).toMatchObject({
      enum: ['pop-ssl', 'pop-tls'],
    });
  });

  it('keeps the validation rules of the contract classes (range, GUID, length, nested folders)', () => {
    const imap = schemas['ImapProfileCreate']!.properties!;
    expect(imap['timeoutSeconds']).toMatchObject({ type: 'integer', minimum: 10, maximum: 600, default: 60 });
    expect(imap['folders']).toMatchObject({ allOf: [{ $ref: '#/components/schemas/ProfileFolders' }] });
    const m365 = schemas['M365ProfileCreate']!.properties!;
    expect(m365['directoryId']).toMatchObject({ type: 'string', pattern: ENTRA_GUID_PATTERN });
    expect(m365['sourceMailbox']).toMatchObject({ type: 'string', maxLength: 254 });
    expect(schemas['ProfileFolders']).toMatchObject({
      required: ['include', 'exclude', 'excludeDefaults'],
      properties: { include: { type: 'array', items: { type: 'string' } } },
    });
  });

  it.each(Object.entries(PROFILE_SCHEMA_NAMES))(
    '%s: a oneOf of every type, discriminated by type',
    (purpose, name) => {
      const union = schemas[name]!;
      expect(union.oneOf).toHaveLength(PROFILE_TYPES.length);
      expect(union.discriminator?.propertyName).toBe('type');
      for (const [type, ref] of Object.entries(union.discriminator?.mapping ?? {})) {
        const target = schemas[ref.replace('#/components/schemas/', '')];
        expect(target, `${purpose} ${type} → ${ref}`).toBeDefined();
        expect(target?.properties?.['type']).toMatchObject({ enum: [type] });
      }
    },
  );

  it('refuses a rule it cannot describe, instead of documenting the property as anything', () => {
    class Contact {
      @IsEmail()
      address!: string;
    }
    expect(() => objectSchema(Contact)).toThrow(/isEmail of Contact\.address/);
  });
});
