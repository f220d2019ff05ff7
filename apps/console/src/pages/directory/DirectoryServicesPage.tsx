import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';

import { api, type Schemas } from '../../api/client';
import { ApiError, done, json } from '../../api/problem';
import { SEARCH_DEBOUNCE_MS } from '../../app/Layout';
import { tenantPath, useTenantId } from '../../app/tenant';
import { ConfirmDialog } from '../../components/confirm';
import { IconEdit, IconRefresh, IconSearch, IconTrash } from '../../components/icons';
import { EmptyState, ErrorAlert, Loading, PageHeader, ShowMore } from '../../components/page';
import { formatDateTime } from '../../lib/format';

type Service = Schemas['DirectoryServiceDto'];
const PAGE_SIZE = 50;

function ServiceDialog({
  tenantId,
  service,
  onClose,
}: {
  tenantId: string;
  service: Service | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(service?.name ?? '');
  const [description, setDescription] = useState(service?.description ?? '');
  const save = useMutation({
    mutationFn: () =>
      service
        ? json(
            api.PATCH('/api/v1/tenants/{tenantId}/directory-services/{id}', {
              params: { path: { tenantId, id: service.id } },
              body: { name, description },
            }),
          )
        : json(
            api.POST('/api/v1/tenants/{tenantId}/directory-services', {
              params: { path: { tenantId } },
              body: { name, description, type: 'static' },
            }),
          ),
    onSuccess: async (saved) => {
      notifications.show({ message: `Directory service “${saved.name}” saved.`, color: 'green' });
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'directory-services'] });
      onClose();
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  return (
    <Modal opened onClose={onClose} title={service ? `Edit ${service.name}` : 'Create directory service'}>
      <form
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          save.mutate();
        }}
        noValidate
      >
        <Stack>
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            data-autofocus
          />
          <TextInput
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.description}
          />
          <Text size="xs" c="dimmed">
            A static directory service: its mailboxes are the ones you assign to it (on the Mailboxes page, or
            by CSV import).
          </Text>
          {save.isError && !Object.keys(errors).length ? (
            <ErrorAlert error={save.error} title="Not saved" />
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {service ? 'Save' : 'Create'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function DirectoryServicesPage() {
  const tenantId = useTenantId();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const [editing, setEditing] = useState<Service | 'new' | null>(null);
  const [toDelete, setToDelete] = useState<Service | null>(null);
  const services = useInfiniteQuery({
    queryKey: ['tenant', tenantId, 'directory-services', 'list', debounced],
    queryFn: ({ pageParam, signal }) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/directory-services', {
          params: {
            path: { tenantId },
            query: {
              limit: PAGE_SIZE,
              ...(debounced && { search: debounced }),
              ...(pageParam && { cursor: pageParam }),
            },
          },
          signal,
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
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
  const items = services.data?.pages.flatMap((p) => p.items) ?? [];
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
      <TextInput
        role="searchbox"
        aria-label="Search"
        placeholder="Search by name or ID"
        leftSection={<IconSearch />}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={460}
        mb="md"
      />
      {services.isPending ? (
        <Loading />
      ) : services.isError ? (
        <ErrorAlert error={services.error} onRetry={() => void services.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>
          {debounced ? 'No directory service matches the search.' : 'There are no directory services yet.'}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table striped highlightOnHover aria-label="Directory services">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Mailboxes</Table.Th>
                <Table.Th>Last sync</Table.Th>
                <Table.Th w={100}>Actions</Table.Th>
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
                  <Table.Td>{service.type}</Table.Td>
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
                      <Tooltip label="Edit">
                        <ActionIcon variant="subtle" aria-label="Edit" onClick={() => setEditing(service)}>
                          <IconEdit />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Delete">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label="Delete"
                          onClick={() => {
                            remove.reset();
                            setToDelete(service);
                          }}
                        >
                          <IconTrash />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ShowMore list={services} />
      {editing !== null ? (
        <ServiceDialog
          tenantId={tenantId}
          service={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
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
