import { describe, expect, it } from 'vitest';

import { PROFILE_PROPERTY_TABLE, propertyCell } from '@mailkeep/contracts/profile-table';

import { bodyOf, emptyDraft, missingForTest, modesOf, PROFILE_TYPES, propertiesOf } from './profile-model';

describe('the profile form model (SPEC §3.1 property table)', () => {
  it('uses exactly the properties of type and mode', () => {
    // Exactly the table's cells (one copy of the table: a property added there needs no edit here)…
    for (const type of PROFILE_TYPES) {
      for (const mode of modesOf(type)) {
        const cells = Object.keys(PROFILE_PROPERTY_TABLE).filter((p) => propertyCell(p, type, mode));
        expect([...propertiesOf(type, mode).keys()].sort(), `${type}/${mode}`).toEqual(cells.sort());
      }
    }
    // …and what SPEC §3.1 says of them.
    expect([...propertiesOf('imap', 'single').keys()]).toEqual(
      expect.arrayContaining([
        'folders',
        'ignoreTlsCertificateErrors',
        'mailboxId',
        'port',
        'protocol',
        'serverName',
        'timeoutSeconds',
      ]),
    );
    for (const property of ['directoryServiceId', 'sourceMailbox', 'applicationId', 'directoryId'])
      expect([...propertiesOf('imap', 'single').keys()]).not.toContain(property);
    expect([...propertiesOf('imap', 'multiple').keys()]).toContain('directoryServiceId');
    expect([...propertiesOf('imap', 'multiple').keys()]).not.toContain('mailboxId');
    expect([...propertiesOf('m365', 'single').keys()]).toEqual(
      expect.arrayContaining(['applicationId', 'directoryId', 'folders', 'mailboxId', 'sourceMailbox']),
    );
    for (const property of ['serverName', 'port', 'protocol', 'timeoutSeconds', 'ignoreTlsCertificateErrors'])
      expect([...propertiesOf('m365', 'single').keys()]).not.toContain(property);
    expect([...propertiesOf('m365', 'multiple').keys()]).not.toContain('sourceMailbox');
    expect([...propertiesOf('exchange', 'single').keys()]).not.toContain('port');
    expect([...propertiesOf('pop3', 'single').keys()]).not.toContain('folders');
    expect(modesOf('pop3')).toEqual(['single']);
  });

  it('sends typed numbers as numbers and anything else as typed, for the API to judge', () => {
    const draft = { ...emptyDraft('imap'), name: 'x', port: '993', timeoutSeconds: 'soon' };
    expect(bodyOf(draft, 'create')).toMatchObject({ port: 993, timeoutSeconds: 'soon' });
    expect(bodyOf({ ...draft, port: '70000' }, 'create')).toMatchObject({ port: 70000 });
  });

  it('leaves out the properties the type does not use, and clears emptied ones on update', () => {
    const draft = {
      ...emptyDraft('imap'),
      name: 'x',
      serverName: 'h',
      mailboxId: 'm',
      directoryServiceId: 'd',
    };
    const created = bodyOf(draft, 'create');
    expect(created).not.toHaveProperty('directoryServiceId');
    expect(created).not.toHaveProperty('port');
    expect(created).not.toHaveProperty('folders');
    const updated = bodyOf(draft, 'update');
    expect(updated).toMatchObject({ port: null, timeoutSeconds: null });
    // The type selects the PATCH schema of the type (the API refuses another one).
    expect(updated).toMatchObject({ type: 'imap' });
  });

  it('offers the connection test once the mandatory properties are filled', () => {
    const draft = { ...emptyDraft('imap'), name: 'x', credentialsSecretId: 's' };
    expect(missingForTest(draft)).toEqual(['mailboxId', 'serverName']);
    expect(missingForTest({ ...draft, mailboxId: 'm', serverName: 'h' })).toEqual([]);
    expect(missingForTest({ ...draft, mode: 'multiple', serverName: 'h' })).toEqual(['directoryServiceId']);
  });
});
