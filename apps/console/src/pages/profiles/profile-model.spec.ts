import { describe, expect, it } from 'vitest';

import { bodyOf, emptyDraft, missingForTest, modesOf, propertiesOf } from './profile-model';

describe('the profile form model (SPEC §3.1 property table)', () => {
  it('uses exactly the properties of type and mode', () => {
    expect([...propertiesOf('imap', 'single').keys()].sort()).toEqual(
      [
        'folders',
        'ignoreTlsCertificateErrors',
        'mailboxId',
        'port',
        'protocol',
        'serverName',
        'timeoutSeconds',
      ].sort(),
    );
    expect([...propertiesOf('imap', 'multiple').keys()]).toContain('directoryServiceId');
    expect([...propertiesOf('imap', 'multiple').keys()]).not.toContain('mailboxId');
    expect([...propertiesOf('m365', 'single').keys()].sort()).toEqual(
      ['applicationId', 'directoryId', 'folders', 'mailboxId', 'sourceMailbox'].sort(),
    );
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
