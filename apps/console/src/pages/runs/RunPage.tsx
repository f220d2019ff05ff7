import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';

import { api, type Schemas } from '../../api/client';
import { mailboxLabel } from '../../api/options';
import { json } from '../../api/problem';
import { tenantPath, useTenantId } from '../../app/tenant';
import { ConfirmDialog } from '../../components/confirm';
import { IconX } from '../../components/icons';
import { ErrorAlert, Loading, PageHeader } from '../../components/page';
import { formatBytes, formatDateTime } from '../../lib/format';
import { ProfileName } from '../schedules/SchedulesPage';
import { ACTIVE_STATUSES, progressOf, STATUS_COLORS, useRunEvents } from './run-events';

/** While the run is active, its tasks (not part of the event stream) are read again every 5 s. */
const TASKS_REFRESH_MS = 5_000;
const SEVERITY_COLORS: Record<string, string> = { info: 'gray', warning: 'orange', error: 'red' };

function MailboxName({ tenantId, mailboxId }: { tenantId: string; mailboxId: string }) {
  const mailbox = useQuery({
    queryKey: ['tenant', tenantId, 'mailboxes', 'one', mailboxId],
    queryFn: ({ signal }) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/mailboxes/{id}', {
          params: { path: { tenantId, id: mailboxId } },
          signal,
        }),
      ),
    staleTime: 60_000,
  });
  return <>{mailbox.data ? mailboxLabel(mailbox.data) : mailboxId}</>;
}

function Counter({ label, value }: { label: string; value: string | number }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="lg">
        {value}
      </Text>
    </Paper>
  );
}

export function RunPage() {
  const tenantId = useTenantId();
  const { runId = '' } = useParams();
  return <RunView key={runId} tenantId={tenantId} runId={runId} />;
}

function RunView({ tenantId, runId }: { tenantId: string; runId: string }) {
  const queryClient = useQueryClient();
  const live = useRunEvents(tenantId, runId);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const active = live.status ? ACTIVE_STATUSES.includes(live.status) : false;
  const run = useQuery({
    queryKey: ['tenant', tenantId, 'runs', 'one', runId],
    queryFn: ({ signal }) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/runs/{id}', {
          params: { path: { tenantId, id: runId } },
          signal,
        }),
      ),
    refetchInterval: active ? TASKS_REFRESH_MS : false,
  });
  const { refetch } = run;
  // The tasks' final state once the stream says the run is over.
  useEffect(() => {
    if (live.finished) void refetch();
  }, [live.finished, refetch]);
  const cancel = useMutation({
    mutationFn: () =>
      json(
        api.POST('/api/v1/tenants/{tenantId}/runs/{id}/cancel', {
          params: { path: { tenantId, id: runId } },
        }),
      ),
    onSuccess: async () => {
      setConfirmCancel(false);
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'runs'] });
    },
  });

  const base: Schemas['RunDto'] | undefined = run.data ?? live.run;
  if (!base) {
    if (run.isError) return <ErrorAlert error={run.error} onRetry={() => void run.refetch()} />;
    return <Loading label="Loading the run…" />;
  }
  const counters = live.counters ?? base.counters;
  const status = live.status ?? base.status;
  const finished = live.finished || base.finishedAt !== null;
  const progress = progressOf(counters, finished);

  return (
    <>
      <PageHeader
        title="Run"
        description={
          <>
            Of the archiving profile <ProfileName tenantId={tenantId} profileId={base.profileId} />, started{' '}
            {base.trigger === 'manual' ? 'with Run now' : 'by its schedule'} (
            <Anchor component={Link} to={tenantPath(tenantId, 'schedules', base.scheduleId)} size="sm">
              schedule
            </Anchor>
            ).
          </>
        }
        actions={
          !finished ? (
            <Button
              color="red"
              variant="light"
              leftSection={<IconX />}
              onClick={() => {
                cancel.reset();
                setConfirmCancel(true);
              }}
            >
              Cancel run
            </Button>
          ) : undefined
        }
      />
      <Stack>
        <Paper withBorder p="md">
          <Group justify="space-between" mb="xs" wrap="wrap">
            <Group gap="xs">
              <Text fw={600}>Status</Text>
              <Badge color={STATUS_COLORS[status] ?? 'gray'} size="lg" data-testid="run-status">
                {status}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {formatDateTime(base.startedAt, true)} –{' '}
              {finished ? formatDateTime(live.finishedAt ?? base.finishedAt, true) : 'running'}
            </Text>
          </Group>
          <Progress
            value={progress}
            size="xl"
            aria-label="Run progress"
            animated={!finished}
            striped={!finished}
            color={status === 'failed' ? 'red' : status === 'completed-with-errors' ? 'orange' : undefined}
          />
          <Text size="sm" mt={4}>
            {counters.mailboxesSucceeded + counters.mailboxesFailed} of {counters.mailboxesTotal} mailboxes
            done ({progress}%)
          </Text>
          {live.error ? (
            <Alert color="yellow" mt="sm">
              Live progress is interrupted; reconnecting… ({String((live.error as Error).message)})
            </Alert>
          ) : null}
        </Paper>
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
          <Counter label="Messages archived" value={counters.messagesArchived} />
          <Counter label="Duplicates skipped" value={counters.duplicatesSkipped} />
          <Counter label="Messages failed" value={counters.messagesFailed} />
          <Counter label="Archived size" value={formatBytes(counters.bytesArchived)} />
          <Counter label="Mailboxes succeeded" value={counters.mailboxesSucceeded} />
          <Counter label="Mailboxes failed" value={counters.mailboxesFailed} />
        </SimpleGrid>
        <div>
          <Title order={2} size="h4" mb="xs">
            Mailboxes
          </Title>
          <Table.ScrollContainer minWidth={760}>
            <Table striped aria-label="Tasks">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Mailbox</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Attempts</Table.Th>
                  <Table.Th>Archived</Table.Th>
                  <Table.Th>Failed</Table.Th>
                  <Table.Th>Last error</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {base.tasks.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Text size="sm" c="dimmed">
                        No mailbox tasks yet.
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  base.tasks.map((task) => (
                    <Table.Tr key={task.id}>
                      <Table.Td>
                        <Anchor
                          component={Link}
                          to={`${tenantPath(tenantId, 'messages')}?mailboxId=${task.mailboxId}`}
                          size="sm"
                        >
                          <MailboxName tenantId={tenantId} mailboxId={task.mailboxId} />
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLORS[task.status] ?? 'gray'} variant="light">
                          {task.status}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{task.attempts}</Table.Td>
                      <Table.Td>{task.counters.messagesArchived}</Table.Td>
                      <Table.Td>{task.counters.messagesFailed}</Table.Td>
                      <Table.Td>
                        <Text size="sm" c={task.lastError ? 'red' : undefined}>
                          {task.lastError ?? '—'}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
        <div>
          <Title order={2} size="h4" mb="xs">
            Log
          </Title>
          <Paper withBorder>
            <ScrollArea.Autosize mah={360} type="auto">
              <Table fz="sm" verticalSpacing={4} aria-label="Log">
                <Table.Tbody aria-live="polite">
                  {live.log.length === 0 ? (
                    <Table.Tr>
                      <Table.Td>
                        <Text size="sm" c="dimmed">
                          No log entries yet.
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ) : (
                    live.log.map((entry) => (
                      <Table.Tr key={entry.id}>
                        <Table.Td w={190}>
                          <Text size="xs" ff="monospace">
                            {formatDateTime(entry.at, true)}
                          </Text>
                        </Table.Td>
                        <Table.Td w={90}>
                          <Badge size="sm" variant="light" color={SEVERITY_COLORS[entry.severity] ?? 'gray'}>
                            {entry.severity}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{entry.message}</Table.Td>
                      </Table.Tr>
                    ))
                  )}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </Paper>
        </div>
      </Stack>
      <ConfirmDialog
        opened={confirmCancel}
        title="Cancel run"
        confirmLabel="Cancel run"
        onClose={() => setConfirmCancel(false)}
        onConfirm={() => cancel.mutate()}
        pending={cancel.isPending}
        error={cancel.error}
      >
        Stop this run? Mailboxes being archived stop after their current messages; everything archived so far
        stays.
      </ConfirmDialog>
    </>
  );
}
