import { buildMailCorpus, type MailCorpusOptions } from '../../mail-corpus.js';
import type { EwsItem, EwsMailbox } from './state.js';

/**
 * Fills a fake Exchange mailbox from the shared corpus, spread over the folder shapes of a real
 * on-premises mailbox: nested folders, a hidden mail folder, a search folder, non-mail folders
 * (Calendar, Contacts), and the well-known folders an archive skips by default (Deleted Items,
 * Junk Email, Drafts, Outbox). One message is flagged.
 */
export interface SeededEwsMailbox {
  /** Messages an archive with default exclusions must keep. */
  readonly archivable: EwsItem[];
  /** Messages in folders excluded by default or hidden. */
  readonly excluded: EwsItem[];
  readonly flagged: EwsItem;
}

export function seedEwsMailbox(
  mailbox: EwsMailbox,
  corpus: MailCorpusOptions = { largeAttachmentBytes: 0 },
): SeededEwsMailbox {
  const messages = buildMailCorpus(corpus);
  const nested = mailbox.addFolder('Inbox/Projects/2026 Q4');
  const hidden = mailbox.addFolder('Quarantine Holding', { hidden: true });
  const targets = [
    mailbox.distinguished('inbox'),
    nested,
    mailbox.distinguished('sentitems'),
    mailbox.addFolder('Customers'),
  ];
  const archivable = messages.map((message, index) =>
    mailbox.addMessage(targets[index % targets.length] ?? mailbox.distinguished('inbox'), message.raw),
  );
  const first = messages[0];
  if (!first) throw new Error('the mail corpus is empty');
  const flagged = mailbox.addMessage(mailbox.distinguished('inbox'), relabel(first.raw, 'flagged'), {
    flagged: true,
  });
  archivable.push(flagged);
  const excluded = [
    mailbox.distinguished('deleteditems'),
    mailbox.distinguished('junkemail'),
    mailbox.distinguished('drafts'),
    mailbox.distinguished('outbox'),
    hidden,
  ].map((folder) =>
    mailbox.addMessage(folder, relabel(first.raw, folder.displayName.replace(/\W/g, '').slice(0, 12))),
  );
  mailbox.addFolder('Unread Mail', { search: true, folderClass: 'IPF.Note' });
  return { archivable, excluded, flagged };
}

/** A copy of a message with its own Message-ID, so every seeded message is distinct. */
function relabel(raw: Buffer, label: string): Buffer {
  return Buffer.from(
    raw.toString('latin1').replace(/^Message-ID: <([^@>]*)@/im, `Message-ID: <$1-${label}@`),
    'latin1',
  );
}
