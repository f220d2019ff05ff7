import { Anchor, Button, Container, Group, Modal, Stack, Table, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { api } from '../api/client';
import { ApiError, json } from '../api/problem';
import { IconLogout, IconSearch } from '../components/icons';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../components/page';
import { formatDateTime } from '../lib/format';
import { SEARCH_DEBOUNCE_MS } from './Layout';
import { useSession } from './session';
import { tenantPath } from './tenant';

/** Operators start here: every tenant, and a new one. */
export function TenantsPage() {
  const { signOut } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const [opened, { open, close }] = useDisclosure();
  const [name, setName] = useState('');
  const tenants = useQuery({
    queryKey: ['tenants', { search: debounced, limit: 200 }],
    queryFn: ({ signal }) =>
      json(
        api.GET('/api/v1/tenants', {
          params: { query: { limit: 200, ...(debounced && { search: debounced }) } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const create = useMutation({
    mutationFn: () => json(api.POST('/api/v1/tenants', { body: { name } })),
    onSuccess: async (tenant) => {
      await queryClient.invalidateQueries({ queryKey: ['tenants'] });
      close();
      void navigate(tenantPath(tenant.id, 'archiving-profiles'));
    },
  });
  const nameError = create.error instanceof ApiError ? create.error.fieldErrors.name : undefined;

  return (
    <Container size="lg" py="md" component="main">
      <PageHeader
        title="Tenants"
        description="Choose the tenant to work on. You can switch tenants at any time from the top bar."
        actions={
          <>
            <Button onClick={open}>Create tenant</Button>
            <Button variant="subtle" leftSection={<IconLogout />} onClick={signOut}>
              Sign out
            </Button>
          </>
        }
      />
      <TextInput
        aria-label="Search tenants"
        placeholder="Search by name or ID"
        leftSection={<IconSearch />}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        maw={420}
        mb="md"
      />
      {tenants.isPending ? (
        <Loading />
      ) : tenants.isError ? (
        <ErrorAlert error={tenants.error} onRetry={() => void tenants.refetch()} />
      ) : tenants.data.items.length === 0 ? (
        <EmptyState>
          {debounced ? 'No tenant matches the search.' : 'There are no tenants yet. Create the first one.'}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>ID</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tenants.data.items.map((tenant) => (
                <Table.Tr key={tenant.id}>
                  <Table.Td>
                    <Anchor component={Link} to={tenantPath(tenant.id, 'archiving-profiles')}>
                      {tenant.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td ff="monospace" fz="xs">
                    {tenant.id}
                  </Table.Td>
                  <Table.Td>{formatDateTime(tenant.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={opened} onClose={close} title="Create tenant">
        <form
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Stack>
            <TextInput
              label="Name"
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={nameError}
              data-autofocus
            />
            {create.isError && !nameError ? <ErrorAlert error={create.error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Container>
  );
}
