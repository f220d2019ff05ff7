import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Group,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';

import { api } from '../../api/client';
import { allSchedules } from '../../api/options';
import { done, json } from '../../api/problem';
import { SEARCH_DEBOUNCE_MS } from '../../app/Layout';
import { tenantPath, useTenantId } from '../../app/tenant';
import { ConfirmDialog } from '../../components/confirm';
import {
  IconCalendarPlus,
  IconEdit,
  IconInfo,
  IconRefresh,
  IconSearch,
  IconTrash,
} from '../../components/icons';
import { EmptyState, ErrorAlert, Loading, PageHeader, ShowMore } from '../../components/page';
import { type ArchivingProfile, MODE_LABELS, TYPE_LABELS } from './profile-model';

/** A page of the list; "Show more" loads the next. */
const PAGE_SIZE = 50;

type Profile = ArchivingProfile;

function DeleteButton({
  profile,
  usedBy,
  onDelete,
}: {
  profile: Profile;
  usedBy: readonly string[];
  onDelete: () => void;
}) {
  const reasonId = useId();
  const inUse = usedBy.length > 0;
  const reason = inUse
    ? `Cannot be deleted: used by the schedule${usedBy.length > 1 ? 's' : ''} ${usedBy.map((n) => `“${n}”`).join(', ')}. Delete ${usedBy.length > 1 ? 'them' : 'it'} first.`
    : `Delete ${profile.name}`;
  return (
    <Tooltip label={reason} multiline maw={320} withArrow>
      <ActionIcon
        variant="subtle"
        color="red"
        aria-label="Delete"
        aria-describedby={reasonId}
        // Focusable while disabled, so keyboard and screen-reader users learn why.
        aria-disabled={inUse || undefined}
        data-disabled={inUse || undefined}
        onClick={(event) => {
          if (inUse) event.preventDefault();
          else onDelete();
        }}
      >
        <IconTrash />
        <VisuallyHidden id={reasonId}>{reason}</VisuallyHidden>
      </ActionIcon>
    </Tooltip>
  );
}

export function ProfilesPage() {
  const tenantId = useTenantId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('search') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const [toDelete, setToDelete] = useState<Profile | null>(null);

  const profiles = useInfiniteQuery({
    queryKey: ['tenant', tenantId, 'archiving-profiles', 'list', debounced],
    queryFn: ({ pageParam, signal }) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/archiving-profiles', {
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

  function changeSearch(value: string) {
    setSearch(value);
    setParams(value.trim() ? { search: value } : {}, { replace: true });
  }

  const items = profiles.data?.pages.flatMap((page) => page.items) ?? [];

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
      <TextInput
        role="searchbox"
        aria-label="Search"
        placeholder="Search by name or ID"
        description="Names that include the text, or the profile whose ID is the text."
        leftSection={<IconSearch />}
        value={search}
        onChange={(event) => changeSearch(event.currentTarget.value)}
        maw={460}
        mb="md"
      />
      {profiles.isPending ? (
        <Loading label="Loading archiving profiles…" />
      ) : profiles.isError ? (
        <ErrorAlert error={profiles.error} onRetry={() => void profiles.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>
          {debounced
            ? `No archiving profile has a name that includes “${debounced}” or this ID.`
            : 'There are no archiving profiles yet. Create one to start archiving.'}
        </EmptyState>
      ) : (
        <>
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
                        <DeleteButton
                          profile={profile}
                          usedBy={usage.get(profile.id) ?? []}
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
          <ShowMore list={profiles} />
        </>
      )}
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
