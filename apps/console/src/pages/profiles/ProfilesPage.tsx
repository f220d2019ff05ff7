import { ActionIcon, Alert, Anchor, Button, Group, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { api } from '../../api/client';
import { allSchedules } from '../../api/options';
import { done, json } from '../../api/problem';
import { tenantPath, useTenantId } from '../../app/tenant';
import { ConfirmDialog } from '../../components/confirm';
import { DeleteAction } from '../../components/delete-action';
import { IconCalendarPlus, IconEdit, IconInfo, IconRefresh } from '../../components/icons';
import { LIST_PAGE_SIZE, ListView, SearchBox, usePagedList, useSearchParam } from '../../components/list';
import { PageHeader } from '../../components/page';
import { type ArchivingProfile, MODE_LABELS, TYPE_LABELS } from './profile-model';

type Profile = ArchivingProfile;

export function ProfilesPage() {
  const tenantId = useTenantId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const search = useSearchParam();
  const [toDelete, setToDelete] = useState<Profile | null>(null);

  const { list: profiles, items } = usePagedList(
    ['tenant', tenantId, 'archiving-profiles', 'list', search.query],
    (cursor, signal) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/archiving-profiles', {
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
  // P5: which schedules use which profile, so Delete can say why it is not possible.
  const schedules = useQuery({
    queryKey: ['tenant', tenantId, 'schedules', 'all'],
    queryFn: ({ signal }) => allSchedules(tenantId, signal),
  });
  const usage = new Map<string, string[]>();
  for (const schedule of schedules.data ?? []) {
    const names = usage.get(schedule.target.profileId) ?? [];
    names.push(schedule.name);
    usage.set(schedule.target.profileId, names);
  }

  const remove = useMutation({
    mutationFn: (profile: Profile) =>
      done(
        api.DELETE('/api/v1/tenants/{tenantId}/archiving-profiles/{id}', {
          params: { path: { tenantId, id: profile.id } },
        }),
      ),
    onSuccess: async (_, profile) => {
      setToDelete(null);
      notifications.show({ message: `Archiving profile “${profile.name}” deleted.`, color: 'green' });
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'archiving-profiles'] });
    },
    // A schedule created meanwhile (409): the dialog shows the API's answer; refresh the usage.
    onError: () => void queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'schedules'] }),
  });

  return (
    <>
      <PageHeader
        title="Archiving profiles"
        description={
          <>
            An archiving profile says what to archive and from where: Microsoft 365, Google Workspace,
            Exchange Server, or any IMAP or POP3 server. A schedule runs it. Mailbox archiving is best used
            for the initial import of mail sent before journaling was set up: in most jurisdictions only
            journaling is considered legally compliant.
          </>
        }
        actions={
          <>
            <Button component={Link} to={tenantPath(tenantId, 'archiving-profiles', 'new')}>
              Create archiving profile
            </Button>
            <Tooltip label="Refresh">
              <ActionIcon
                variant="default"
                size="lg"
                aria-label="Refresh"
                loading={profiles.isRefetching || schedules.isRefetching}
                onClick={() => {
                  void profiles.refetch();
                  void schedules.refetch();
                }}
              >
                <IconRefresh />
              </ActionIcon>
            </Tooltip>
          </>
        }
      />
      <SearchBox
        value={search.text}
        onChange={search.setText}
        description="Names that include the text, or the profile whose ID is the text."
      />
      <ListView
        list={profiles}
        items={items}
        loadingLabel="Loading archiving profiles…"
        empty={
          search.query
            ? `No archiving profile has a name that includes “${search.query}” or this ID.`
            : 'There are no archiving profiles yet. Create one to start archiving.'
        }
      >
        {schedules.isError ? (
          <Alert color="yellow" icon={<IconInfo />} mb="sm">
            The schedules could not be read, so the list cannot tell which profiles are in use. Deleting a
            profile in use is refused.
          </Alert>
        ) : null}
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="xs" aria-label="Archiving profiles">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Mode</Table.Th>
                <Table.Th>ID</Table.Th>
                <Table.Th w={130}>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((profile) => (
                <Table.Tr key={profile.id}>
                  <Table.Td>
                    <Anchor component={Link} to={tenantPath(tenantId, 'archiving-profiles', profile.id)}>
                      {profile.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{TYPE_LABELS[profile.type] ?? profile.type}</Table.Td>
                  <Table.Td>{MODE_LABELS[profile.mode] ?? profile.mode}</Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="xs">
                      {profile.id}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label="Edit">
                        <ActionIcon
                          variant="subtle"
                          aria-label="Edit"
                          onClick={() =>
                            void navigate(tenantPath(tenantId, 'archiving-profiles', profile.id))
                          }
                        >
                          <IconEdit />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Create schedule">
                        <ActionIcon
                          variant="subtle"
                          aria-label="Create schedule"
                          onClick={() =>
                            void navigate(
                              `${tenantPath(tenantId, 'schedules', 'new')}?profileId=${profile.id}`,
                            )
                          }
                        >
                          <IconCalendarPlus />
                        </ActionIcon>
                      </Tooltip>
                      <DeleteAction
                        name={profile.name}
                        usedBy={usage.get(profile.id) ?? []}
                        usedByKind="schedule"
                        onDelete={() => {
                          remove.reset();
                          setToDelete(profile);
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
      <ConfirmDialog
        opened={toDelete !== null}
        title="Delete archiving profile"
        confirmLabel="Delete"
        onClose={() => setToDelete(null)}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        pending={remove.isPending}
        error={remove.error}
      >
        Delete the archiving profile <b>{toDelete?.name}</b>? Mail it has archived stays in the archive.
      </ConfirmDialog>
    </>
  );
}
