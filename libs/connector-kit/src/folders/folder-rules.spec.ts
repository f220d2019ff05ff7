import { describe, expect, it } from 'vitest';

import { applyFolderSelection } from './folder-rules.js';

const folders = [
  { path: 'Inbox', defaultExcluded: false },
  { path: 'Inbox/Projects', defaultExcluded: false },
  { path: 'Deleted Items', defaultExcluded: true },
  { path: 'Archive/2026', defaultExcluded: false },
];

describe('applyFolderSelection', () => {
  it('keeps everything but the default exclusions by default', () => {
    const { selected } = applyFolderSelection(folders, { include: [], exclude: [], excludeDefaults: true });
    expect(selected.map((f) => f.path)).toEqual(['Inbox', 'Inbox/Projects', 'Archive/2026']);
  });

  it('matches include and exclude on full paths and reports included paths the source lacks', () => {
    const result = applyFolderSelection(folders, {
      include: ['/Inbox/Projects/', 'Deleted Items', 'Gone'],
      exclude: ['Inbox'],
      excludeDefaults: false,
    });
    expect(result.selected.map((f) => f.path)).toEqual(['Inbox/Projects', 'Deleted Items']);
    expect(result.missing).toEqual(['Gone']);
  });
});
