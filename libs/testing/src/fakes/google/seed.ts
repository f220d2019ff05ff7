import { buildMailCorpus, type MailCorpusOptions } from '../../mail-corpus.js';
import type { FakeGmailMailbox, FakeGmailMessage } from './state.js';

/**
 * Fills a fake Gmail mailbox from the corpus the other connectors' tests use, with the label
 * shapes a real mailbox has: Inbox, Sent, a nested user label, messages under several labels at
 * once, state labels (UNREAD, IMPORTANT, CATEGORY_*), one starred message, and one message each
 * in Spam, Trash and Drafts (excluded by default).
 */
export interface SeededGmailMailbox {
  /** Messages an archive with default exclusions must keep. */
  readonly archivable: FakeGmailMessage[];
  /** Spam, Trash and Drafts. */
  readonly excluded: FakeGmailMessage[];
  readonly starred: FakeGmailMessage;
  /** A message under two user labels and the Inbox: one catalog row listing all three. */
  readonly multiLabelled: FakeGmailMessage;
}

/** The corpus's Date header is fixed; internalDate spreads messages so the list order is stable. */
const FIRST_INTERNAL_DATE = Date.parse('2026-11-24T06:00:00Z');

export function seedGmailMailbox(
  mailbox: FakeGmailMailbox,
  corpus: MailCorpusOptions = { largeAttachmentBytes: 0 },
): SeededGmailMailbox {
  const messages = buildMailCorpus(corpus);
  const first = messages[0];
  if (!first) throw new Error('the mail corpus is empty');
  let clock = FIRST_INTERNAL_DATE;
  const add = (raw: Buffer, labels: readonly string[]): FakeGmailMessage =>
    mailbox.addMessage(raw, labels, (clock += 60_000));
  const rotation: readonly (readonly string[])[] = [
    ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL'],
    ['SENT'],
    ['Projects/2026', 'IMPORTANT'],
    ['INBOX', 'CATEGORY_UPDATES'],
  ];
  const archivable = messages.map((message, index) =>
    add(message.raw, rotation[index % rotation.length] ?? ['INBOX']),
  );
  const multiLabelled = add(relabel(first.raw, 'multi'), ['INBOX', 'Receipts', 'Projects/2026']);
  const starred = add(relabel(first.raw, 'starred'), ['INBOX', 'STARRED']);
  archivable.push(multiLabelled, starred);
  const excluded = [
    add(relabel(first.raw, 'spam'), ['SPAM']),
    add(relabel(first.raw, 'trash'), ['TRASH']),
    add(relabel(first.raw, 'draft'), ['DRAFT']),
  ];
  return { archivable, excluded, starred, multiLabelled };
}

/** A copy of a message with its own Message-ID, so every seeded message is distinct. */
export function relabel(raw: Buffer, label: string): Buffer {
  return Buffer.from(
    raw.toString('latin1').replace(/^Message-ID: <([^@>]*)@/im, `Message-ID: <$1-${label}@`),
    'latin1',
  );
}
