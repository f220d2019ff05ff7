import { getMetadataStorage } from 'class-validator';
import { describe, expect, it } from 'vitest';

import {
  PROFILE_MODES,
  PROFILE_PROPERTY_TABLE,
  PROFILE_SETTINGS,
  PROFILE_TYPES,
  propertyCell,
  type ProfileType,
} from '../../index.js';

/** The properties of a settings class and whether each is optional, as class-validator sees them. */
function declared(type: ProfileType): Map<string, 'required' | 'optional'> {
  const rules = getMetadataStorage().getTargetValidationMetadatas(PROFILE_SETTINGS[type], '', true, false);
  const properties = new Map<string, 'required' | 'optional'>();
  for (const rule of rules) {
    const optional =
      rule.type === 'conditionalValidation' || properties.get(rule.propertyName) === 'optional';
    properties.set(rule.propertyName, optional ? 'optional' : 'required');
  }
  return properties;
}

/** What the table says of a type: required when the cell is required in every mode it exists in. */
function tabled(type: ProfileType): Map<string, 'required' | 'optional'> {
  const properties = new Map<string, 'required' | 'optional'>();
  for (const property of Object.keys(PROFILE_PROPERTY_TABLE)) {
    if (property === 'mailboxId' || property === 'directoryServiceId') continue; // common, by mode
    const cells = PROFILE_MODES.map((mode) => propertyCell(property, type, mode));
    if (cells.every((cell) => cell === undefined)) continue;
    const required = cells.every((cell) => cell?.use === 'required');
    properties.set(property, required ? 'required' : 'optional');
  }
  return properties;
}

describe('the settings classes and the property table agree', () => {
  it.each(PROFILE_TYPES)(
    '%s: the same properties, required exactly where the table requires them',
    (type) => {
      expect(Object.fromEntries(declared(type))).toEqual(Object.fromEntries(tabled(type)));
    },
  );
});
