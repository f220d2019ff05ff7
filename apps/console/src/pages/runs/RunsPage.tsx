import { ActionIcon, Anchor, Badge, Group, Progress, Select, Table, Text, Tooltip } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';

import { api, type Schemas } from '../../api/client';
import { profileOptions } from '../../api/options';
import { json } from '../../api/problem';
import { tenantPath, useTenantId } from '../../app/tenant';
import { IconRefresh } from '../../components/icons';
import { LIST_PAGE_SIZE, ListView, usePagedList } from '../../components/list';
import { PageHeader } from '../../components/page';
import { RemoteSelect } from '../../components/RemoteSelect';
import { formatDateTime } from '../../lib/format';
import { ProfileName } from '../schedules/SchedulesPage';
import { ACTIVE_STATUSES, progressOf, STATUS_COLORS } from './run-events';

type RunStatus = Schemas['RunDto']['status'];
const STATUSES: readonly RunStatus[] = [
  'queued',
  'running',
  'succeeded',
  'completed-with-errors',
  'failed',
  'cancelled',
  'skipped',
];
/** While a run on the page is active the list is read again every 5 s; a run's own page is live. */
const ACTIVE_REFRESH_MS = 5_000;

export function RunsPage() {
  const tenantId = useTenantId();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? '') as RunStatus | '';
  const profileId = params.get('profileId') ?? '';
  const { list: runs, items } = usePagedList(
    ['tenant', tenantId, 'runs', 'list', status, profileId],
    (cursor, signal) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/runs', {
          params: {
            path: { tenantId },
            query: {
              limit: LIST_PAGE_SIZE,
              ...(status && { status }),
              ...(profileId && { profileId }),
              ...(cursor && { cursor }),
            },
          },
          signal,
        }),
      ),
    {
      refetchInterval: (loaded) =>
        loaded.some((run) => ACTIVE_STATUSES.includes(run.status)) ? ACTIVE_REFRESH_MS : false,
    },
  );
  function filter(next: { status?: string; profileId?: string }) {
    const merged = { status, profileId, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, v]) => v)), { replace: true });
  }
  return (
    <>
      <PageHeader
        title="Runs"
        description="Every execution of an archiving profile, newest first. Open a run for its mailboxes, its log and live progress."
        actions={
          <Tooltip label="Refresh">
            <ActionIcon
              variant="default"
              size="lg"
              aria-label="Refresh"
              loading={runs.isRefetching}
              onClick={() => void runs.refetch()}
            >
              <IconRefresh />
            </ActionIcon>
          </Tooltip>
        }
      />
      <Group mb="md" wrap="wrap">
        <Select
          aria-label="Status"
          placeholder="All statuses"
          clearable
          data={STATUSES.map((s) => ({ value: s, label: s }))}
          value={status || null}
          onChange={(v) => filter({ status: v ?? '' })}
          w={220}
        />
        <RemoteSelect
          {...profileOptions(tenantId)}
          aria-label="Archiving profile"
          placeholder="All profiles"
          clearable
          value={profileId}
          onChange={(v) => filter({ profileId: v })}
          w={300}
          maw="100%"
        />
      </Group>
      <ListView
        list={runs}
        items={items}
        loadingLabel="Loading runs…"
        empty={
          status || profileId
            ? 'No run matches the filters.'
            : 'Nothing has run yet. Runs start from a schedule, or with Run now.'
        }
      >
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover aria-label="Runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Started</Table.Th>
                <Table.Th>Archiving profile</Table.Th>
                <Table.Th>Trigger</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th w={180}>Mailboxes</Table.Th>
                <Table.Th>Messages archived</Table.Th>
                <Table.Th>Finished</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((run) => {
                const finished = run.finishedAt !== null;
                return (
                  <Table.Tr key={run.id}>
                    <Table.Td>
                      <Anchor component={Link} to={tenantPath(tenantId, 'runs', run.id)} size="sm">
                        {run.startedAt ? formatDateTime(run.startedAt, true) : 'Not started'}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <ProfileName tenantId={tenantId} profileId={run.profileId} />
                    </Table.Td>
                    <Table.Td>{run.trigger === 'manual' ? 'Run now' : 'Schedule'}</Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLORS[run.status] ?? 'gray'} variant="light">
                        {run.status}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Progress
                        value={progressOf(run.counters, finished)}
                        aria-label="Mailboxes done"
                        size="md"
                      />
                      <Text size="xs" c="dimmed">
                        {run.counters.mailboxesSucceeded + run.counters.mailboxesFailed} of{' '}
                        {run.counters.mailboxesTotal}
                        {run.counters.mailboxesFailed ? `, ${run.counters.mailboxesFailed} failed` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>{run.counters.messagesArchived}</Table.Td>
                    <Table.Td>{formatDateTime(run.finishedAt, true)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </ListView>
    </>
  );
}
