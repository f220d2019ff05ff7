import { ActionIcon, Anchor, Badge, Button, Group, Table, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { api, type Schemas } from '../../api/client';
import { done, json } from '../../api/problem';
import { tenantPath, useTenantId } from '../../app/tenant';
import { ConfirmDialog } from '../../components/confirm';
import { DeleteAction } from '../../components/delete-action';
import { IconEdit, IconPlay, IconRefresh } from '../../components/icons';
import { LIST_PAGE_SIZE, ListView, SearchBox, usePagedList, useSearchParam } from '../../components/list';
import { ErrorAlert, PageHeader } from '../../components/page';
import { formatDateTime } from '../../lib/format';
import { describeRecurrence } from './recurrence';

type Schedule = Schemas['ScheduleDto'];

/** The name of a profile, read once and cached (schedules show their target by name). */
export function ProfileName({
  tenantId,
  profileId,
  link = true,
}: {
  tenantId: string;
  profileId: string;
  link?: boolean;
}) {
  const profile = useQuery({
    queryKey: ['tenant', tenantId, 'archiving-profiles', 'one', profileId],
    queryFn: ({ signal }) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/archiving-profiles/{id}', {
          params: { path: { tenantId, id: profileId } },
          signal,
        }),
      ),
    staleTime: 60_000,
  });
  const name = profile.data?.name ?? (profile.isError ? 'deleted profile' : '…');
  return link ? (
    <Anchor component={Link} to={tenantPath(tenantId, 'archiving-profiles', profileId)} size="sm">
      {name}
    </Anchor>
  ) : (
    <>{name}</>
  );
}

export function useRunNow(tenantId: string) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (scheduleId: string) =>
      json(
        api.POST('/api/v1/tenants/{tenantId}/schedules/{id}/run', {
          params: { path: { tenantId, id: scheduleId } },
        }),
      ) as unknown as Promise<Schemas['RunDto']>,
    onSuccess: async (run) => {
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'runs'] });
      void navigate(tenantPath(tenantId, 'runs', run.id));
    },
  });
}

export function SchedulesPage() {
  const tenantId = useTenantId();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const search = useSearchParam();
  const [toDelete, setToDelete] = useState<Schedule | null>(null);
  const { list: schedules, items } = usePagedList(
    ['tenant', tenantId, 'schedules', 'list', search.query],
    (cursor, signal) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/schedules', {
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
  const runNow = useRunNow(tenantId);
  const remove = useMutation({
    mutationFn: (schedule: Schedule) =>
      done(
        api.DELETE('/api/v1/tenants/{tenantId}/schedules/{id}', {
          params: { path: { tenantId, id: schedule.id } },
        }),
      ),
    onSuccess: async () => {
      setToDelete(null);
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'schedules'] });
    },
  });
  return (
    <>
      <PageHeader
        title="Schedules"
        description="A schedule runs an archiving profile: once, every few minutes, daily at set times, or by a cron expression, in its own time zone."
        actions={
          <>
            <Button component={Link} to={tenantPath(tenantId, 'schedules', 'new')}>
              Create schedule
            </Button>
            <Tooltip label="Refresh">
              <ActionIcon
                variant="default"
                size="lg"
                aria-label="Refresh"
                loading={schedules.isRefetching}
                onClick={() => void schedules.refetch()}
              >
                <IconRefresh />
              </ActionIcon>
            </Tooltip>
          </>
        }
      />
      <SearchBox value={search.text} onChange={search.setText} />
      {runNow.isError ? <ErrorAlert error={runNow.error} title="The run was not started" /> : null}
      <ListView
        list={schedules}
        items={items}
        loadingLabel="Loading schedules…"
        empty={
          search.query
            ? 'No schedule matches the search.'
            : 'There are no schedules yet. Create one from an archiving profile.'
        }
      >
        <Table.ScrollContainer minWidth={860}>
          <Table striped highlightOnHover aria-label="Schedules">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Archiving profile</Table.Th>
                <Table.Th>Recurrence</Table.Th>
                <Table.Th>Next run</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th w={130}>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((schedule) => (
                <Table.Tr key={schedule.id}>
                  <Table.Td>
                    <Anchor component={Link} to={tenantPath(tenantId, 'schedules', schedule.id)}>
                      {schedule.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <ProfileName tenantId={tenantId} profileId={schedule.target.profileId} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{describeRecurrence(schedule.recurrence)}</Text>
                    <Text size="xs" c="dimmed">
                      {schedule.timezone}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatDateTime(schedule.nextRuns[0])}</Table.Td>
                  <Table.Td>
                    {schedule.enabled === false ? (
                      <Badge color="gray" variant="light">
                        Disabled
                      </Badge>
                    ) : (
                      <Badge color="green" variant="light">
                        Enabled
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label="Run now">
                        <ActionIcon
                          variant="subtle"
                          color="green"
                          aria-label="Run now"
                          loading={runNow.isPending && runNow.variables === schedule.id}
                          onClick={() => runNow.mutate(schedule.id)}
                        >
                          <IconPlay />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Edit">
                        <ActionIcon
                          variant="subtle"
                          aria-label="Edit"
                          onClick={() => void navigate(tenantPath(tenantId, 'schedules', schedule.id))}
                        >
                          <IconEdit />
                        </ActionIcon>
                      </Tooltip>
                      <DeleteAction
                        name={schedule.name}
                        onDelete={() => {
                          remove.reset();
                          setToDelete(schedule);
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
        title="Delete schedule"
        confirmLabel="Delete"
        onClose={() => setToDelete(null)}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        pending={remove.isPending}
        error={remove.error}
      >
        Delete the schedule <b>{toDelete?.name}</b>? A run it started goes on; archived mail stays.
      </ConfirmDialog>
    </>
  );
}
