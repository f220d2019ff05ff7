import { describe, expect, it } from 'vitest';

import { encodeModifiedUtf7 } from '../protocol/modified-utf7.js';
import { DEFAULT_FOLDER_SELECTION, type ListedFolder, selectFolders } from './folder-selection.js';

/** A LIST entry as a server sends it: the path in modified UTF-7. */
const folder = (path: string, specialUse?: string, flags: string[] = [], delimiter = '/'): ListedFolder => ({
  name: Buffer.from(encodeModifiedUtf7(path), 'latin1'),
  delimiter,
  flags: new Set(flags),
  specialUse,
});

const LISTED = [
  folder('Sent', '\\Sent'),
  folder('INBOX', '\\Inbox'),
  folder('Papierkorb', '\\Trash'),
  folder('Junk', '\\Junk'),
  folder('Entwürfe', '\\Drafts'),
  folder('Outbox'),
  folder('Projects/Outbox'),
  folder('Ärger & Co', undefined, ['\\Noselect', '\\HasChildren']),
  folder('Ärger & Co/Unter'),
];

const names = (listed: readonly ListedFolder[], selection = DEFAULT_FOLDER_SELECTION) =>
  selectFolders(listed, selection).folders.map((f) => f.name);

describe('selectFolders', () => {
  it('by default skips Trash, Junk and Drafts by special-use and Outbox by name, and unselectable folders', () => {
    expect(names(LISTED)).toEqual(['INBOX', 'Projects/Outbox', 'Sent', 'Ärger & Co/Unter']);
  });

  it('keeps the default folders when excludeDefaults is off', () => {
    expect(names(LISTED, { include: [], exclude: [], excludeDefaults: false })).toEqual([
      'INBOX',
      'Entwürfe',
      'Junk',
      'Outbox',
      'Papierkorb',
      'Projects/Outbox',
      'Sent',
      'Ärger & Co/Unter',
    ]);
  });

  it('applies include and exclude by full path, INBOX case-insensitive, and reports missing includes', () => {
    const selection = {
      include: ['inbox', '/Ärger & Co/Unter/', 'Sent', 'Gone'],
      exclude: ['Sent'],
      excludeDefaults: true,
    };
    const selected = selectFolders(LISTED, selection);
    expect(selected.folders.map((f) => f.name)).toEqual(['INBOX', 'Ärger & Co/Unter']);
    expect(selected.missing).toEqual(['Gone']);
  });

  it('names folders with / whatever the server delimiter is', () => {
    const dotted = [
      folder('INBOX', undefined, [], '.'),
      folder('INBOX.Outbox', undefined, [], '.'),
      folder('INBOX.Kunden', undefined, [], '.'),
    ];
    expect(selectFolders(dotted, DEFAULT_FOLDER_SELECTION).folders).toEqual([
      { listed: Buffer.from('INBOX'), name: 'INBOX', specialUse: undefined },
      { listed: Buffer.from('INBOX.Kunden'), name: 'INBOX/Kunden', specialUse: undefined },
    ]);
  });

  it('never gives two listed names one archive name', () => {
    const listed = [folder('INBOX', undefined, [], '.'), folder('inbox', undefined, [], '.')];
    expect(names(listed)).toEqual(['INBOX', 'raw:inbox']);
  });
});
