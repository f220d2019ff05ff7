import { describe, expect, it } from 'vitest';

import { finalRunStatus, type RunTally } from './run-outcome.js';

const clean: RunTally = {
  cancelRequested: false,
  mailboxesTotal: 3,
  mailboxesFailed: 0,
  messagesFailed: 0,
  foldersFailed: 0,
  setupFailed: false,
};

describe('finalRunStatus', () => {
  it.each([
    ['succeeded', clean],
    ['succeeded', { ...clean, mailboxesTotal: 0 }],
    ['completed-with-errors', { ...clean, mailboxesFailed: 1 }],
    ['completed-with-errors', { ...clean, messagesFailed: 2 }],
    ['completed-with-errors', { ...clean, foldersFailed: 1 }],
    ['failed', { ...clean, mailboxesFailed: 3 }],
    ['failed', { ...clean, mailboxesTotal: 0, setupFailed: true }],
    ['cancelled', { ...clean, mailboxesFailed: 3, cancelRequested: true }],
  ] as const)('%s for %o', (status, tally) => {
    expect(finalRunStatus(tally)).toBe(status);
  });
});
