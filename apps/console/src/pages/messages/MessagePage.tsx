import { Anchor, Button, Code, Paper, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';

import { type ArchivedMessage, attachmentPath, getMessage, rawMessagePath } from '../../api/messages';
import { api } from '../../api/client';
import { mailboxLabel } from '../../api/options';
import { json } from '../../api/problem';
import { tenantPath, useTenantId } from '../../app/tenant';
import { IconDownload } from '../../components/icons';
import { ErrorAlert, Loading, PageHeader } from '../../components/page';
import { downloadFile } from '../../lib/download';
import { formatBytes, formatDateTime } from '../../lib/format';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={180} scope="row">
        {label}
      </Table.Th>
      <Table.Td style={{ wordBreak: 'break-word' }}>{children}</Table.Td>
    </Table.Tr>
  );
}

export function MessagePage() {
  const tenantId = useTenantId();
  const { messageId = '' } = useParams();
  const message = useQuery({
    queryKey: ['tenant', tenantId, 'messages', 'one', messageId],
    queryFn: ({ signal }) => getMessage(tenantId, messageId, signal),
  });
  const mailbox = useQuery({
    queryKey: ['tenant', tenantId, 'mailboxes', 'one', message.data?.mailboxId],
    queryFn: ({ signal }) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/mailboxes/{id}', {
          params: { path: { tenantId, id: message.data?.mailboxId ?? '' } },
          signal,
        }),
      ),
    enabled: message.data !== undefined,
  });
  const download = useMutation({
    mutationFn: () =>
      downloadFile(
        rawMessagePath(tenantId, messageId),
        `${(message.data?.subject || 'message').replace(/[^\w.-]+/g, '_').slice(0, 80)}.eml`,
      ),
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Download failed', message: error.message }),
  });
  if (message.isPending) return <Loading label="Loading the message…" />;
  if (message.isError) return <ErrorAlert error={message.error} onRetry={() => void message.refetch()} />;
  const m = message.data;
  return (
    <>
      <PageHeader
        title={m.subject || '(no subject)'}
        description="The message exactly as archived: the download is the original file, byte for byte."
        actions={
          <Button
            leftSection={<IconDownload />}
            onClick={() => download.mutate()}
            loading={download.isPending}
          >
            Download (.eml)
          </Button>
        }
      />
      <Paper withBorder>
        <Table aria-label="Message details">
          <Table.Tbody>
            <Row label="From">{m.from ?? '—'}</Row>
            <Row label="To">{m.to ?? '—'}</Row>
            <Row label="Cc">{m.cc ?? '—'}</Row>
            <Row label="Date">{formatDateTime(m.date, true)}</Row>
            <Row label="Mailbox">{mailbox.data ? mailboxLabel(mailbox.data) : m.mailboxId}</Row>
            <Row label="Folder">{m.folder || '—'}</Row>
            <Row label="Size">{formatBytes(m.size)}</Row>
            <Row label="Message-ID">
              <Code>{m.messageId ?? '—'}</Code>
            </Row>
            <Row label="SHA-256">
              <Code>{m.sha256}</Code>
            </Row>
            <Row label="Archived">{formatDateTime(m.archivedAt, true)}</Row>
            <Row label="Run">
              <Anchor component={Link} to={tenantPath(tenantId, 'runs', m.runId)} size="sm">
                {m.runId}
              </Anchor>
            </Row>
          </Table.Tbody>
        </Table>
      </Paper>
      <Attachments tenantId={tenantId} message={m} />
    </>
  );
}

/** The message's attachments, each downloadable on its own. */
function Attachments({ tenantId, message }: { tenantId: string; message: ArchivedMessage }) {
  const download = useMutation({
    mutationFn: (part: number) =>
      downloadFile(
        attachmentPath(tenantId, message.id, part),
        message.attachments.find((attachment) => attachment.part === part)?.name ?? `attachment-${part}`,
      ),
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Download failed', message: error.message }),
  });
  if (message.text === 'pending')
    return (
      <Text size="sm" c="dimmed" mt="md">
        Its text and attachments are being indexed.
      </Text>
    );
  if (message.attachments.length === 0) return null;
  return (
    <Paper withBorder mt="md">
      <Table aria-label="Attachments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Attachment</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Size</Table.Th>
            <Table.Th>Searchable</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {message.attachments.map((attachment) => (
            <Table.Tr key={attachment.part}>
              <Table.Td style={{ wordBreak: 'break-word' }}>{attachment.name}</Table.Td>
              <Table.Td>
                <Code>{attachment.mimeType}</Code>
              </Table.Td>
              <Table.Td>{formatBytes(attachment.size)}</Table.Td>
              <Table.Td>{attachment.indexed ? 'yes' : 'no'}</Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="default"
                  leftSection={<IconDownload />}
                  onClick={() => download.mutate(attachment.part)}
                  loading={download.isPending && download.variables === attachment.part}
                  aria-label={`Download ${attachment.name}`}
                >
                  Download
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
