import { buildMailCorpus, type MailCorpusOptions } from '../../mail-corpus.js';
import type { FakeMailbox, FakeMessage } from './state.js';

/**
 * Fills a fake mailbox from the same corpus the IMAP and POP3 tests use, spread over the folder
 * shapes a real Exchange Online mailbox has: nested folders, a hidden folder, a search folder,
 * and the well-known folders an archive skips by default (Deleted Items, Junk Email, Drafts,
 * Outbox). One message is flagged.
 */
export interface SeededMailbox {
  /** Messages an archive with default exclusions must keep (Inbox, nested, Sent Items, Archive). */
  readonly archivable: FakeMessage[];
  /** Messages in folders excluded by default, hidden folders, or nowhere an archive looks. */
  readonly excluded: FakeMessage[];
  readonly flagged: FakeMessage;
}

export function seedMailbox(
  mailbox: FakeMailbox,
  corpus: MailCorpusOptions = { largeAttachmentBytes: 0 },
): SeededMailbox {
  const messages = buildMailCorpus(corpus);
  const archivable: FakeMessage[] = [];
  const excluded: FakeMessage[] = [];
  const nested = mailbox.addFolder('Projects/2026/Q4 Reports');
  const hidden = mailbox.addFolder('Sync Issues', { hidden: true });
  // Archivable folders in rotation; each corpus message lands in one of them.
  const targets = ['inbox', nested.id, 'sentitems', 'archive'];
  messages.forEach((message, index) => {
    archivable.push(mailbox.addMessage(targets[index % targets.length] ?? 'inbox', message.raw));
  });
  const first = messages[0];
  if (!first) throw new Error('the mail corpus is empty');
  const flagged = mailbox.addMessage('inbox', relabel(first.raw, 'flagged'), { flagStatus: 'flagged' });
  archivable.push(flagged);
  for (const folder of ['deleteditems', 'junkemail', 'drafts', 'outbox', hidden.id]) {
    excluded.push(mailbox.addMessage(folder, relabel(first.raw, folder.slice(0, 12))));
  }
  mailbox.addSearchFolder('Weekly reports', mailbox.wellKnown('inbox'), [mailbox.wellKnown('inbox'), nested]);
  return { archivable, excluded, flagged };
}

/** A copy of a message with its own Message-ID, so every seeded message is distinct. */
function relabel(raw: Buffer, label: string): Buffer {
  return Buffer.from(
    raw.toString('latin1').replace(/^Message-ID: <([^@>]*)@/im, `Message-ID: <$1-${label}@`),
    'latin1',
  );
}
