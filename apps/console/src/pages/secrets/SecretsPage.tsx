import { ActionIcon, Alert, Badge, Button, Group, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { api } from '../../api/client';
import { secretTypeLabel } from '../../api/options';
import { done, json } from '../../api/problem';
import { useTenantId } from '../../app/tenant';
import { ConfirmDialog } from '../../components/confirm';
import { DeleteAction } from '../../components/delete-action';
import { IconAlert, IconDownload, IconEdit, IconRefresh } from '../../components/icons';
import { LIST_PAGE_SIZE, ListView, SearchBox, usePagedList, useSearchParam } from '../../components/list';
import { PageHeader } from '../../components/page';
import { downloadFile } from '../../lib/download';
import { daysUntil, formatDateTime } from '../../lib/format';
import { type Secret, SecretDialog } from './SecretDialog';

function ExpiryBadge({ secret }: { secret: Secret }) {
  if (!secret.expiresAt) return <Text size="sm">—</Text>;
  const days = daysUntil(secret.expiresAt);
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm">{formatDateTime(secret.expiresAt)}</Text>
      {days < 0 ? (
        <Badge color="red">Expired</Badge>
      ) : secret.expiresSoon ? (
        <Badge color="orange">Expires in {days} days</Badge>
      ) : null}
    </Group>
  );
}

function describe(secret: Secret): string {
  return secret.username ?? secret.clientEmail ?? secret.certificate?.subject ?? '';
}

/** Reads a file the person picked as text or base64 (PKCS#12). */

export function SecretsPage() {
  const tenantId = useTenantId();
  const queryClient = useQueryClient();
  const search = useSearchParam();
  const [editing, setEditing] = useState<Secret | 'new' | null>(null);
  const [toDelete, setToDelete] = useState<Secret | null>(null);
  const { list: secrets, items } = usePagedList(
    ['tenant', tenantId, 'secrets', 'list', search.query],
    (cursor, signal) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/secrets', {
          params: {
            path: { tenantId },
            query: {
              limit: LIST_PAGE_SIZE,
              ...(search.query && { search: search.query }),
              ...(cursor && { cursor }),
            },
          },
          signal,
        }),
      ),
  );
  const remove = useMutation({
    mutationFn: (secret: Secret) =>
      done(
        api.DELETE('/api/v1/tenants/{tenantId}/secrets/{id}', {
          params: { path: { tenantId, id: secret.id } },
        }),
      ),
    onSuccess: async () => {
      setToDelete(null);
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'secrets'] });
    },
  });
  const download = useMutation({
    mutationFn: (secret: Secret) =>
      downloadFile(
        `/api/v1/tenants/${tenantId}/secrets/${secret.id}/certificate`,
        `${secret.name.replace(/[^\w.-]+/g, '_')}.pem`,
      ),
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Download failed', message: error.message }),
  });
  const expiring = items.filter((s) => s.expiresSoon);

  return (
    <>
      <PageHeader
        title="Secrets"
        description="Credentials that archiving profiles use. Passwords, keys and client secrets are stored encrypted and can be replaced, but never read back."
        actions={
          <>
            <Button onClick={() => setEditing('new')}>Create secret</Button>
            <Tooltip label="Refresh">
              <ActionIcon
                variant="default"
                size="lg"
                aria-label="Refresh"
                loading={secrets.isRefetching}
                onClick={() => void secrets.refetch()}
              >
                <IconRefresh />
              </ActionIcon>
            </Tooltip>
          </>
        }
      />
      {expiring.length ? (
        <Alert color="orange" icon={<IconAlert />} mb="md" title="Expiring credentials">
          {expiring.map((s) => s.name).join(', ')} {expiring.length > 1 ? 'expire' : 'expires'} within 30 days
          (or already expired). Replace {expiring.length > 1 ? 'them' : 'it'} before archiving stops.
        </Alert>
      ) : null}
      <SearchBox value={search.text} onChange={search.setText} />
      <ListView
        list={secrets}
        items={items}
        loadingLabel="Loading secrets…"
        empty={
          search.query
            ? 'No secret matches the search.'
            : 'There are no secrets yet. Create one for the archiving profiles to sign in with.'
        }
      >
        <Table.ScrollContainer minWidth={880}>
          <Table striped highlightOnHover aria-label="Secrets">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>User / subject</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Used by</Table.Th>
                <Table.Th w={130}>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((secret) => (
                <Table.Tr key={secret.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {secret.name}
                    </Text>
                    {secret.description ? (
                      <Text size="xs" c="dimmed">
                        {secret.description}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{secretTypeLabel(secret.type)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{describe(secret)}</Text>
                    {secret.certificate ? (
                      <Text size="xs" c="dimmed" ff="monospace">
                        SHA-1 {secret.certificate.thumbprint}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <ExpiryBadge secret={secret} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {secret.usedBy.length ? secret.usedBy.map((r) => r.name ?? r.id).join(', ') : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label="Edit">
                        <ActionIcon variant="subtle" aria-label="Edit" onClick={() => setEditing(secret)}>
                          <IconEdit />
                        </ActionIcon>
                      </Tooltip>
                      {secret.type === 'certificate' ? (
                        <Tooltip label="Download certificate (PEM)">
                          <ActionIcon
                            variant="subtle"
                            aria-label="Download certificate"
                            loading={download.isPending && download.variables.id === secret.id}
                            onClick={() => download.mutate(secret)}
                          >
                            <IconDownload />
                          </ActionIcon>
                        </Tooltip>
                      ) : null}
                      <DeleteAction
                        name={secret.name}
                        usedBy={secret.usedBy.map((user) => user.name ?? user.id)}
                        onDelete={() => {
                          remove.reset();
                          setToDelete(secret);
                        }}
                      />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </ListView>
      {editing !== null ? (
        <SecretDialog
          tenantId={tenantId}
          secret={editing === 'new' ? null : editing}
          opened
          onClose={() => setEditing(null)}
        />
      ) : null}
      <ConfirmDialog
        opened={toDelete !== null}
        title="Delete secret"
        confirmLabel="Delete"
        onClose={() => setToDelete(null)}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        pending={remove.isPending}
        error={remove.error}
      >
        Delete the secret <b>{toDelete?.name}</b>? It cannot be recovered.
      </ConfirmDialog>
    </>
  );
}
