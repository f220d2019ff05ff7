import { ActionIcon, Anchor, Button, Group, Table, Text, Tooltip } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';

import { api } from '../../api/client';
import { done, json } from '../../api/problem';
import { tenantPath, useTenantId } from '../../app/tenant';
import { ConfirmDialog } from '../../components/confirm';
import { DeleteAction } from '../../components/delete-action';
import { IconEdit, IconPlay, IconPlug, IconRefresh } from '../../components/icons';
import { LIST_PAGE_SIZE, ListView, SearchBox, usePagedList, useSearchParam } from '../../components/list';
import { PageHeader } from '../../components/page';
import { formatDateTime } from '../../lib/format';
import { DirectoryServiceDialog } from './DirectoryServiceDialog';
import { DirectoryTestDialog } from './DirectoryTestDialog';
import { type Service, TYPE_LABELS } from './directory-model';
import { SyncDialog } from './SyncDialog';

export function DirectoryServicesPage() {
  const tenantId = useTenantId();
  const queryClient = useQueryClient();
  const search = useSearchParam();
  const [editing, setEditing] = useState<Service | 'new' | null>(null);
  const [toDelete, setToDelete] = useState<Service | null>(null);
  const [syncing, setSyncing] = useState<Service | null>(null);
  const [testing, setTesting] = useState<Service | null>(null);
  const { list: services, items } = usePagedList(
    ['tenant', tenantId, 'directory-services', 'list', search.query],
    (cursor, signal) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/directory-services', {
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
    mutationFn: (service: Service) =>
      done(
        api.DELETE('/api/v1/tenants/{tenantId}/directory-services/{id}', {
          params: { path: { tenantId, id: service.id } },
        }),
      ),
    onSuccess: async () => {
      setToDelete(null);
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'directory-services'] });
    },
  });
  return (
    <>
      <PageHeader
        title="Directory services"
        description="A directory service is a source of mailboxes. Archiving profiles in multiple-mailbox mode archive every mailbox of one directory service."
        actions={
          <>
            <Button onClick={() => setEditing('new')}>Create directory service</Button>
            <Tooltip label="Refresh">
              <ActionIcon
                variant="default"
                size="lg"
                aria-label="Refresh"
                loading={services.isRefetching}
                onClick={() => void services.refetch()}
              >
                <IconRefresh />
              </ActionIcon>
            </Tooltip>
          </>
        }
      />
      <SearchBox value={search.text} onChange={search.setText} />
      <ListView
        list={services}
        items={items}
        empty={
          search.query ? 'No directory service matches the search.' : 'There are no directory services yet.'
        }
      >
        <Table.ScrollContainer minWidth={700}>
          <Table striped highlightOnHover aria-label="Directory services">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Mailboxes</Table.Th>
                <Table.Th>Last sync</Table.Th>
                <Table.Th w={170}>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((service) => (
                <Table.Tr key={service.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {service.name}
                    </Text>
                    {service.description ? (
                      <Text size="xs" c="dimmed">
                        {service.description}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{TYPE_LABELS[service.type]}</Table.Td>
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`${tenantPath(tenantId, 'mailboxes')}?directoryServiceId=${service.id}`}
                    >
                      {service.memberCount}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatDateTime(service.lastSync?.finishedAt)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label="Sync">
                        <ActionIcon variant="subtle" aria-label="Sync" onClick={() => setSyncing(service)}>
                          <IconPlay />
                        </ActionIcon>
                      </Tooltip>
                      {service.type !== 'static' ? (
                        <Tooltip label="Test connection">
                          <ActionIcon
                            variant="subtle"
                            aria-label="Test connection"
                            onClick={() => setTesting(service)}
                          >
                            <IconPlug />
                          </ActionIcon>
                        </Tooltip>
                      ) : null}
                      <Tooltip label="Edit">
                        <ActionIcon variant="subtle" aria-label="Edit" onClick={() => setEditing(service)}>
                          <IconEdit />
                        </ActionIcon>
                      </Tooltip>
                      <DeleteAction
                        name={service.name}
                        onDelete={() => {
                          remove.reset();
                          setToDelete(service);
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
        <DirectoryServiceDialog
          tenantId={tenantId}
          service={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {syncing ? <SyncDialog tenantId={tenantId} service={syncing} onClose={() => setSyncing(null)} /> : null}
      {testing ? (
        <DirectoryTestDialog tenantId={tenantId} service={testing} onClose={() => setTesting(null)} />
      ) : null}
      <ConfirmDialog
        opened={toDelete !== null}
        title="Delete directory service"
        confirmLabel="Delete"
        onClose={() => setToDelete(null)}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        pending={remove.isPending}
        error={remove.error}
      >
        Delete the directory service <b>{toDelete?.name}</b>? Its mailboxes and their archived mail stay.
      </ConfirmDialog>
    </>
  );
}
