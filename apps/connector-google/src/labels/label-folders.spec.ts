import { describe, expect, it } from 'vitest';

import { ALL_MAIL, LabelFolders } from './label-folders.js';

const LABELS = [
  ...[
    'INBOX',
    'SENT',
    'DRAFT',
    'SPAM',
    'TRASH',
    'UNREAD',
    'STARRED',
    'IMPORTANT',
    'CHAT',
    'CATEGORY_PERSONAL',
  ].map((id) => ({ id, name: id, type: 'system' })),
  { id: 'Label_1', name: 'Receipts', type: 'user' },
  { id: 'Label_2', name: 'Projects/2026', type: 'user' },
];
const DEFAULTS = { include: [], exclude: [], excludeDefaults: true };

describe('LabelFolders', () => {
  it('turns place labels into folders and leaves state labels out', () => {
    const folders = new LabelFolders(LABELS, DEFAULTS);
    expect(folders.foldersOf(['INBOX', 'UNREAD', 'Label_1', 'CATEGORY_PERSONAL', 'STARRED'])).toEqual([
      'Inbox',
      'Receipts',
    ]);
    expect(folders.foldersOf(['UNREAD', 'IMPORTANT'])).toEqual([ALL_MAIL]);
    expect(folders.folderCount).toBe(8);
  });

  it('excludes Spam, Trash and Drafts by default, even on a message with other labels', () => {
    const folders = new LabelFolders(LABELS, DEFAULTS);
    expect(folders.selects(['INBOX'])).toBe(true);
    expect(folders.selects(['UNREAD'])).toBe(true);
    expect(folders.selects(['SPAM'])).toBe(false);
    expect(folders.selects(['TRASH', 'Label_1'])).toBe(false);
    expect(folders.selects(['DRAFT'])).toBe(false);
    expect(folders.includeSpamTrash).toBe(false);
    expect(folders.listQuery()).toBe('-in:drafts');
    const everything = new LabelFolders(LABELS, { include: [], exclude: [], excludeDefaults: false });
    expect(everything.selects(['TRASH'])).toBe(true);
    expect(everything.includeSpamTrash).toBe(true);
    expect(everything.listQuery()).toBeUndefined();
  });

  it('applies include and exclude rules to label names, case-insensitively', () => {
    const onlyReceipts = new LabelFolders(LABELS, {
      include: ['receipts', 'Nope'],
      exclude: [],
      excludeDefaults: true,
    });
    expect(onlyReceipts.selects(['INBOX', 'Label_1'])).toBe(true);
    expect(onlyReceipts.selects(['INBOX'])).toBe(false);
    expect(onlyReceipts.selects([])).toBe(false);
    expect(onlyReceipts.missing).toEqual(['nope']);
    const noProjects = new LabelFolders(LABELS, {
      include: [],
      exclude: ['Projects/2026'],
      excludeDefaults: true,
    });
    expect(noProjects.selects(['Label_2'])).toBe(false);
    expect(noProjects.selects(['Label_2', 'INBOX'])).toBe(true);
  });
});
