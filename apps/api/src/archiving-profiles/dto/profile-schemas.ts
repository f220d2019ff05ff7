import type { SchemaObject } from '@nestjs/swagger';

import {
  DEFAULT_PORT,
  DEFAULT_TIMEOUT_SECONDS,
  PROFILE_PROPERTY_TABLE,
  PROFILE_SETTINGS,
  PROFILE_TYPES,
  ProfileBase,
  ProfileFolders,
  type ProfileType,
  PROTOCOLS_BY_TYPE,
  SECRET_TYPES_BY_PROFILE_TYPE,
  type SettingProperty,
  settingDescription,
} from '@mailkeep/contracts';

import { objectSchema, type PropertySchema, propertySchemas } from '../../openapi/class-schema.js';

/**
 * The OpenAPI schemas of archiving profiles, generated from the classes the profiles service and
 * the connectors validate with (libs/contracts: `ProfileBase`, one settings class per type) and
 * from the property table: one schema per type for the view, the create body and the PATCH body,
 * each set joined in a `oneOf` discriminated by `type`. Only the common properties' descriptions
 * are written here.
 */

/**
 * What each common property means, for the people reading the API documentation; the settings'
 * descriptions are the contracts' (`settingDescription`), next to their rules.
 */
const COMMON_DESCRIPTIONS: Readonly<Record<keyof ProfileBase, string>> = {
  id: 'The profile’s id.',
  name: 'Unique in the tenant (case-insensitive), 1–200 characters, trimmed.',
  type: 'The profile type; it cannot be changed after creation.',
  mode: '`single`: one mailbox; `multiple`: every mailbox of a directory service.',
  credentialsSecretId: 'A secret of the tenant, of a type this profile type accepts.',
  mailboxId: 'Single mode (required there): the archive mailbox.',
  directoryServiceId: 'Multiple mode (required there): the directory service whose mailboxes are archived.',
  deleteInSource:
    'Deletes each message from the source mailbox once it is archived durably (blob stored, event ' +
    'acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.',
  version: 'Increases with each change; sent as ETag, expected back in If-Match.',
  createdAt: 'ISO-8601 UTC.',
  updatedAt: 'ISO-8601 UTC.',
};

const describe = (name: string): string =>
  name in COMMON_DESCRIPTIONS
    ? COMMON_DESCRIPTIONS[name as keyof ProfileBase]
    : settingDescription(name as SettingProperty);

const FOLDER_DESCRIPTIONS: Readonly<Record<keyof ProfileFolders, string>> = {
  include: 'Folders to archive (full paths, `/` between levels); empty = all.',
  exclude: 'Folders never archived.',
  excludeDefaults: 'Skip Trash, Junk, Drafts and Outbox (by special-use where the protocol has it).',
};

/** What the stored profile has that a request does not send. */
const STORED_ONLY = new Set<string>(['id', 'version', 'createdAt', 'updatedAt']);

const SCHEMA_NAMES: Readonly<Record<ProfileType, string>> = {
  imap: 'ImapProfile',
  pop3: 'Pop3Profile',
  exchange: 'ExchangeProfile',
  m365: 'M365Profile',
  'google-workspace': 'GoogleWorkspaceProfile',
};

type Purpose = 'view' | 'create' | 'update';
const SUFFIX: Readonly<Record<Purpose, string>> = { view: '', create: 'Create', update: 'Update' };
/** The `oneOf` of every type, one per purpose: what the routes refer to. */
export const PROFILE_SCHEMA_NAMES: Readonly<Record<Purpose, string>> = {
  view: 'ArchivingProfile',
  create: 'ArchivingProfileCreate',
  update: 'ArchivingProfileUpdate',
};

export const profileSchemaRef = (purpose: Purpose): { $ref: string } => ({
  $ref: `#/components/schemas/${PROFILE_SCHEMA_NAMES[purpose]}`,
});

/** The properties of a type's profile: the common ones the table gives it, then its settings. */
function propertiesOf(type: ProfileType): Map<string, PropertySchema> {
  const usedByType = (name: string) =>
    !(name in PROFILE_PROPERTY_TABLE) || type in PROFILE_PROPERTY_TABLE[name as SettingProperty];
  const common = [...propertySchemas(ProfileBase)].filter(([name]) => usedByType(name));
  return new Map([...common, ...propertySchemas(PROFILE_SETTINGS[type])]);
}

/** The schema of one property of a type: the class's rules narrowed by the table, and its text. */
function documented(type: ProfileType, name: string, property: PropertySchema): SchemaObject {
  const schema: SchemaObject = { ...property.schema, description: describe(name) };
  if (name === 'type') schema.enum = [type];
  if (name === 'credentialsSecretId') {
    schema.description = `${schema.description} Accepted: ${SECRET_TYPES_BY_PROFILE_TYPE[type].join(', ')}.`;
  }
  const protocols = PROTOCOLS_BY_TYPE[type];
  if (name === 'protocol' && protocols) schema.enum = [...protocols];
  if (name === 'port' && protocols) {
    const defaults = protocols.map((protocol) => `${DEFAULT_PORT[protocol]} for ${protocol}`).join(', ');
    schema.description = `${schema.description} Defaults: ${defaults}.`;
  }
  if (name === 'timeoutSeconds') schema.default = DEFAULT_TIMEOUT_SECONDS;
  if (name === 'deleteInSource' || name === 'ignoreTlsCertificateErrors') schema.default = false;
  return schema;
}

function typeSchema(type: ProfileType, purpose: Purpose): SchemaObject {
  const properties: Record<string, SchemaObject> = {};
  const required: string[] = [];
  for (const [name, property] of propertiesOf(type)) {
    if (purpose !== 'view' && STORED_ONLY.has(name)) continue;
    const schema = documented(type, name, property);
    // A request may leave out what has a default; a PATCH sends only what changes (null clears
    // an optional property).
    const optional = property.optional || (purpose !== 'view' && name === 'deleteInSource');
    if (purpose === 'update' && property.optional) schema.nullable = true;
    properties[name] = schema;
    if (name === 'type' || (!optional && purpose !== 'update')) required.push(name);
  }
  return { type: 'object', properties, required };
}

function oneOfTypes(purpose: Purpose, description: string): SchemaObject {
  const refs = Object.fromEntries(
    PROFILE_TYPES.map((type) => [type, `#/components/schemas/${SCHEMA_NAMES[type]}${SUFFIX[purpose]}`]),
  );
  return {
    description,
    oneOf: Object.values(refs).map(($ref) => ({ $ref })),
    discriminator: { propertyName: 'type', mapping: refs },
  };
}

/** Every schema of archiving profiles, by the name the document keeps it under. */
export function profileSchemas(): Record<string, SchemaObject> {
  const folders = objectSchema(ProfileFolders);
  for (const [name, schema] of Object.entries(folders.properties ?? {})) {
    (schema as SchemaObject).description = FOLDER_DESCRIPTIONS[name as keyof ProfileFolders];
  }
  const schemas: Record<string, SchemaObject> = { [ProfileFolders.name]: folders };
  for (const purpose of ['view', 'create', 'update'] as const) {
    for (const type of PROFILE_TYPES) {
      schemas[`${SCHEMA_NAMES[type]}${SUFFIX[purpose]}`] = typeSchema(type, purpose);
    }
  }
  schemas[PROFILE_SCHEMA_NAMES.view] = oneOfTypes(
    'view',
    'An archiving profile: the common properties and those of its type; defaults (port, timeout) filled in.',
  );
  schemas[PROFILE_SCHEMA_NAMES.create] = oneOfTypes(
    'create',
    'A new archiving profile (SPEC §3.1): the properties of its type and mode; any other is a field error.',
  );
  schemas[PROFILE_SCHEMA_NAMES.update] = oneOfTypes(
    'update',
    'The properties to change; `null` removes an optional one. `type` must be the profile’s own ' +
      '(it cannot change: 422); it selects the properties that apply (the API also accepts a body without it).',
  );
  return schemas;
}
