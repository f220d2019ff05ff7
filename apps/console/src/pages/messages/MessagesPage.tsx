import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Mark,
  Paper,
  SimpleGrid,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { type ArchivedMessage, type MessageFilters, searchMessages, snippetParts } from '../../api/messages';
import { mailboxOptions } from '../../api/options';
import { ApiError } from '../../api/problem';
import { tenantPath, useTenantId } from '../../app/tenant';
import { IconSearch } from '../../components/icons';
import { LIST_PAGE_SIZE, ListView, usePagedList } from '../../components/list';
import { PageHeader } from '../../components/page';
import { RemoteSelect } from '../../components/RemoteSelect';
import { formatBytes, formatDateTime } from '../../lib/format';

const FILTER_KEYS = [
  'q',
  'mailboxId',
  'folder',
  'from',
  'to',
  'subject',
  'after',
  'before',
  'unindexedAttachments',
] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

/** A date input (local day) as the instant the API filters by; anything else as typed. */
function instant(day: string): string | undefined {
  if (!day) return undefined;
  const date = new Date(`${day}T00:00`);
  return Number.isNaN(date.getTime()) ? day : date.toISOString();
}

export function MessagesPage() {
  const tenantId = useTenantId();
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Record<
    FilterKey,
    string
  >;
  const [form, setForm] = useState(applied);
  const filters: MessageFilters = {
    ...(applied.q && { q: applied.q }),
    ...(applied.mailboxId && { mailboxId: applied.mailboxId }),
    ...(applied.folder && { folder: applied.folder }),
    ...(applied.from && { from: applied.from }),
    ...(applied.to && { to: applied.to }),
    ...(applied.subject && { subject: applied.subject }),
    ...(applied.after && { after: instant(applied.after) }),
    ...(applied.before && { before: instant(applied.before) }),
    ...(applied.unindexedAttachments === 'true' && { unindexedAttachments: true }),
  };
  const { list: messages, items } = usePagedList(
    ['tenant', tenantId, 'messages', 'list', filters],
    (cursor, signal) =>
      searchMessages(tenantId, { ...filters, limit: LIST_PAGE_SIZE, ...(cursor && { cursor }) }, signal),
  );
  const fieldErrors = messages.error instanceof ApiError ? messages.error.fieldErrors : {};
  const set = (key: FilterKey, value: string) => setForm((f) => ({ ...f, [key]: value }));
  function submit(event: FormEvent) {
    event.preventDefault();
    setParams(Object.fromEntries(Object.entries(form).filter(([, v]) => v.trim())), { replace: false });
  }

  return (
    <>
      <PageHeader
        title="Archived messages"
        description="Search the archive by words of the subject, addresses, body and attachments, by sender, recipients, mailbox, folder and date. Open a message for its details, its attachments and the original file."
      />
      <Paper withBorder p="md" mb="md">
        <form onSubmit={submit} aria-label="Search archived messages">
          <TextInput
            label="Search"
            placeholder='Words of the mail or its attachments: invoice "due date" -draft contr*'
            leftSection={<IconSearch />}
            value={form.q}
            onChange={(e) => set('q', e.currentTarget.value)}
            error={fieldErrors.q}
            mb="sm"
          />
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            <RemoteSelect
              {...mailboxOptions(tenantId)}
              label="Mailbox"
              placeholder="All mailboxes"
              clearable
              value={form.mailboxId}
              onChange={(v) => set('mailboxId', v)}
              error={fieldErrors.mailboxId}
            />
            <TextInput
              label="Folder"
              placeholder="e.g. INBOX or Projects/2026"
              value={form.folder}
              onChange={(e) => set('folder', e.currentTarget.value)}
              error={fieldErrors.folder}
            />
            <TextInput
              label="From"
              value={form.from}
              onChange={(e) => set('from', e.currentTarget.value)}
              error={fieldErrors.from}
            />
            <TextInput
              label="To or Cc"
              value={form.to}
              onChange={(e) => set('to', e.currentTarget.value)}
              error={fieldErrors.to}
            />
            <TextInput
              label="Subject"
              value={form.subject}
              onChange={(e) => set('subject', e.currentTarget.value)}
              error={fieldErrors.subject}
            />
            <TextInput
              label="Dated on or after"
              type="date"
              value={form.after}
              onChange={(e) => set('after', e.currentTarget.value)}
              error={fieldErrors.after}
            />
            <TextInput
              label="Dated before"
              type="date"
              value={form.before}
              onChange={(e) => set('before', e.currentTarget.value)}
              error={fieldErrors.before}
            />
          </SimpleGrid>
          <Checkbox
            mt="sm"
            label="Only messages with attachments whose text could not be read"
            checked={form.unindexedAttachments === 'true'}
            onChange={(e) => set('unindexedAttachments', e.currentTarget.checked ? 'true' : '')}
          />
          <Group justify="flex-end" mt="sm">
            <Button
              variant="default"
              onClick={() => {
                setForm(Object.fromEntries(FILTER_KEYS.map((k) => [k, ''])) as Record<FilterKey, string>);
                setParams({});
              }}
            >
              Clear
            </Button>
            <Button type="submit" leftSection={<IconSearch />}>
              Search
            </Button>
          </Group>
        </form>
      </Paper>
      <ListView
        list={messages}
        items={items}
        loadingLabel="Searching the archive…"
        errorShownElsewhere={Object.keys(fieldErrors).length > 0}
        empty={
          Object.keys(filters).length ? 'No archived message matches.' : 'Nothing has been archived yet.'
        }
      >
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover aria-label="Archived messages">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>From</Table.Th>
                <Table.Th>Subject</Table.Th>
                <Table.Th>Folder</Table.Th>
                <Table.Th>Size</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((message) => (
                <Table.Tr key={message.id}>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(message.date ?? message.archivedAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={1}>
                      {message.from ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={tenantPath(tenantId, 'messages', message.id)} size="sm">
                      {message.subject || '(no subject)'}
                    </Anchor>
                    <Snippet message={message} />
                    <AttachmentNames message={message} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{message.folder}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatBytes(message.size)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </ListView>
    </>
  );
}

/** The passage of the text the words were found in, matched words marked. */
function Snippet({ message }: { message: ArchivedMessage }) {
  if (!message.snippet) return null;
  return (
    <Text size="xs" c="dimmed" lineClamp={2} data-testid="snippet">
      {snippetParts(message.snippet).map((part) =>
        part.match ? <Mark key={part.offset}>{part.text}</Mark> : <span key={part.offset}>{part.text}</span>,
      )}
    </Text>
  );
}

function AttachmentNames({ message }: { message: ArchivedMessage }) {
  if (message.attachments.length === 0) return null;
  return (
    <Group gap={4} mt={2}>
      {message.attachments.map((attachment) => (
        <Badge
          key={attachment.part}
          size="xs"
          variant="light"
          color={attachment.indexed ? 'gray' : 'orange'}
          title={attachment.indexed ? 'Its text is searchable' : 'Its text could not be read'}
        >
          {attachment.name}
        </Badge>
      ))}
    </Group>
  );
}
