import { AppShell, Burger, Button, Group, NavLink, Select, Text, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';

import { api } from '../api/client';
import { json } from '../api/problem';
import { IconLogout } from '../components/icons';
import { useSession } from './session';
import { tenantPath, useTenantId } from './tenant';

/** The pages of a tenant, in the order an administrator sets things up. */
export const SECTIONS = [
  { path: 'archiving-profiles', label: 'Archiving profiles' },
  { path: 'schedules', label: 'Schedules' },
  { path: 'runs', label: 'Runs' },
  { path: 'messages', label: 'Archived messages' },
  { path: 'mailboxes', label: 'Mailboxes' },
  { path: 'directory-services', label: 'Directory services' },
  { path: 'secrets', label: 'Secrets' },
] as const;

/** Debounce of search boxes: one request after typing pauses, not one per key. */
export const SEARCH_DEBOUNCE_MS = 250;

function TenantSwitcher({ tenantId }: { tenantId: string }) {
  const navigate = useNavigate();
  const location = useLocation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, SEARCH_DEBOUNCE_MS);
  const current = useQuery({
    queryKey: ['tenant', tenantId],
    queryFn: ({ signal }) =>
      json(api.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId } }, signal })),
  });
  const tenants = useQuery({
    queryKey: ['tenants', { search: debounced }],
    queryFn: ({ signal }) =>
      json(
        api.GET('/api/v1/tenants', {
          params: {
            query: {
              limit: 50,
              ...(debounced && debounced !== current.data?.name ? { search: debounced } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const options = new Map<string, string>();
  if (current.data) options.set(current.data.id, current.data.name);
  for (const tenant of tenants.data?.items ?? []) options.set(tenant.id, tenant.name);

  return (
    <Select
      aria-label="Tenant"
      placeholder="Choose a tenant"
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      data={[...options].map(([value, label]) => ({ value, label }))}
      value={tenantId}
      onChange={(value) => {
        if (!value || value === tenantId) return;
        // Same page of the other tenant; ids of this tenant mean nothing there.
        const section = location.pathname.split('/')[3] ?? 'archiving-profiles';
        void navigate(tenantPath(value, section));
      }}
      allowDeselect={false}
      nothingFoundMessage="No tenant matches"
      w={{ base: 160, sm: 260 }}
      size="sm"
    />
  );
}

function TenantName({ tenantId }: { tenantId: string }) {
  const tenant = useQuery({
    queryKey: ['tenant', tenantId],
    queryFn: ({ signal }) =>
      json(api.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId } }, signal })),
  });
  return (
    <Text size="sm" c="dimmed" truncate maw={220}>
      {tenant.data?.name ?? ''}
    </Text>
  );
}

export function Layout() {
  const tenantId = useTenantId();
  const { session, signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Title order={2} size="h4">
              Mailkeep
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {session?.operator ? <TenantSwitcher tenantId={tenantId} /> : <TenantName tenantId={tenantId} />}
            <Button
              variant="subtle"
              size="sm"
              leftSection={<IconLogout />}
              onClick={signOut}
              visibleFrom="xs"
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Pages">
        {SECTIONS.map((section) => (
          <NavLink
            key={section.path}
            component={Link}
            to={tenantPath(tenantId, section.path)}
            label={section.label}
            active={pathname.startsWith(tenantPath(tenantId, section.path))}
            aria-current={pathname.startsWith(tenantPath(tenantId, section.path)) ? 'page' : undefined}
            onClick={close}
          />
        ))}
        {session?.operator ? (
          <NavLink component={Link} to="/tenants" label="All tenants" onClick={close} mt="md" />
        ) : null}
        <NavLink label="Sign out" onClick={signOut} hiddenFrom="xs" leftSection={<IconLogout />} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
