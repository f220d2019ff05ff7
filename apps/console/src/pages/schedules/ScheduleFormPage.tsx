import {
  Alert,
  Button,
  Chip,
  Fieldset,
  Group,
  List,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';

import { api, type Schemas } from '../../api/client';
import { profileOptions } from '../../api/options';
import { ApiError, json } from '../../api/problem';
import { tenantPath, useTenantId } from '../../app/tenant';
import { IconAlert, IconPlay } from '../../components/icons';
import { ErrorAlert, Loading, PageHeader } from '../../components/page';
import { RemoteSelect } from '../../components/RemoteSelect';
import { formatDateTime } from '../../lib/format';
import {
  dayName,
  emptyRecurrence,
  recurrenceBody,
  type RecurrenceDraft,
  recurrenceDraftOf,
  WEEKDAYS,
} from './recurrence';
import { useRunNow } from './SchedulesPage';

type Schedule = Schemas['ScheduleDto'];
/** How many upcoming fire times the page lists (the API allows up to 100). */
const NEXT_RUNS_SHOWN = 10;

const TIME_ZONES = (() => {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
})();

export function ScheduleFormPage() {
  const tenantId = useTenantId();
  const { scheduleId } = useParams();
  const editing = scheduleId !== undefined && scheduleId !== 'new';
  const schedule = useQuery({
    queryKey: ['tenant', tenantId, 'schedules', 'one', scheduleId],
    queryFn: ({ signal }) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/schedules/{id}', {
          params: { path: { tenantId, id: scheduleId ?? '' } },
          signal,
        }),
      ),
    enabled: editing,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  if (editing && schedule.isPending) return <Loading label="Loading the schedule…" />;
  if (editing && schedule.isError)
    return <ErrorAlert error={schedule.error} onRetry={() => void schedule.refetch()} />;
  return (
    <ScheduleForm
      key={schedule.data?.id ?? 'new'}
      tenantId={tenantId}
      saved={editing ? schedule.data : undefined}
    />
  );
}

function NextRuns({ tenantId, schedule }: { tenantId: string; schedule: Schedule }) {
  const nextRuns = useQuery({
    queryKey: ['tenant', tenantId, 'schedules', 'next-runs', schedule.id, schedule],
    queryFn: ({ signal }) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/schedules/{id}/next-runs', {
          params: { path: { tenantId, id: schedule.id }, query: { count: NEXT_RUNS_SHOWN } },
          signal,
        }),
      ),
  });
  return (
    <Paper withBorder p="md" aria-labelledby="next-runs-title">
      <Title order={2} size="h5" id="next-runs-title" mb="xs">
        Next run times
      </Title>
      {schedule.enabled === false ? (
        <Text size="sm" c="dimmed" mb="xs">
          The schedule is disabled: it does not fire at these times until enabled again. Run now still works.
        </Text>
      ) : null}
      {nextRuns.isPending ? (
        <Loading />
      ) : nextRuns.isError ? (
        <ErrorAlert error={nextRuns.error} />
      ) : nextRuns.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          It will not fire again.
        </Text>
      ) : (
        <List size="sm" spacing={2} aria-label="Next run times">
          {nextRuns.data.items.map((at) => (
            <List.Item key={at}>
              {formatDateTime(at)}{' '}
              <Text span size="xs" c="dimmed">
                (
                {new Intl.DateTimeFormat(undefined, {
                  timeZone: schedule.timezone,
                  dateStyle: 'short',
                  timeStyle: 'short',
                }).format(new Date(at))}{' '}
                {schedule.timezone})
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </Paper>
  );
}

function ScheduleForm({ tenantId, saved }: { tenantId: string; saved: Schedule | undefined }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const fromProfile = params.get('profileId') ?? '';
  const [name, setName] = useState(saved?.name ?? '');
  const [profileId, setProfileId] = useState(saved?.target.profileId ?? fromProfile);
  const [enabled, setEnabled] = useState(saved?.enabled ?? true);
  const [timezone, setTimezone] = useState(
    saved?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const [recurrence, setRecurrence] = useState<RecurrenceDraft>(() =>
    saved ? recurrenceDraftOf(saved.recurrence) : emptyRecurrence(),
  );
  const runNow = useRunNow(tenantId);
  const setR = (patch: Partial<RecurrenceDraft>) => setRecurrence((r) => ({ ...r, ...patch }));

  const save = useMutation({
    mutationFn: () => {
      const common = {
        name,
        enabled,
        timezone,
        recurrence: recurrenceBody(recurrence) as unknown as Schemas['RecurrenceDto'],
      };
      if (saved) {
        return json(
          api.PATCH('/api/v1/tenants/{tenantId}/schedules/{id}', {
            params: { path: { tenantId, id: saved.id } },
            body: { ...common, target: { kind: 'archiving-profile', profileId } },
          }),
        );
      }
      if (profileId && profileId === fromProfile) {
        // P6: a schedule created from the profile's row.
        return json(
          api.POST('/api/v1/tenants/{tenantId}/archiving-profiles/{id}/schedules', {
            params: { path: { tenantId, id: profileId } },
            body: common,
          }),
        );
      }
      return json(
        api.POST('/api/v1/tenants/{tenantId}/schedules', {
          params: { path: { tenantId } },
          body: { ...common, target: { kind: 'archiving-profile', profileId } },
        }),
      );
    },
    onSuccess: async (result) => {
      notifications.show({ message: `Schedule “${result.name}” saved.`, color: 'green' });
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'schedules'] });
      if (saved) queryClient.setQueryData(['tenant', tenantId, 'schedules', 'one', saved.id], result);
      else void navigate(tenantPath(tenantId, 'schedules', result.id), { replace: true });
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const recurrenceError = (field: string) =>
    errors[`recurrence.${field}`] ??
    Object.entries(errors).find(([f]) => f.startsWith(`recurrence.${field}`))?.[1];
  const known = [
    'name',
    'enabled',
    'timezone',
    'target',
    'target.profileId',
    'recurrence',
    'recurrence.type',
    'recurrence.at',
    'recurrence.everyMinutes',
    'recurrence.times',
    'recurrence.weekdays',
    'recurrence.expression',
  ];
  const other = Object.entries(errors).filter(
    ([f]) => !known.includes(f) && !/^recurrence\.(times|weekdays)/.test(f),
  );

  return (
    <>
      <PageHeader
        title={saved ? 'Schedule' : 'Create schedule'}
        description={
          saved
            ? saved.name
            : 'When the archiving profile runs. At most one run per profile is active; a firing during a run is skipped.'
        }
        actions={
          saved ? (
            <Button
              color="green"
              leftSection={<IconPlay />}
              loading={runNow.isPending}
              onClick={() => runNow.mutate(saved.id)}
            >
              Run now
            </Button>
          ) : undefined
        }
      />
      {runNow.isError ? <ErrorAlert error={runNow.error} title="The run was not started" /> : null}
      <Group align="flex-start" gap="lg" wrap="wrap">
        <form
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            save.mutate();
          }}
          noValidate
          aria-label="Schedule"
          style={{ flex: '1 1 480px', maxWidth: 680 }}
        >
          <Stack>
            {save.isError && Object.keys(errors).length === 0 ? (
              <ErrorAlert error={save.error} title="Not saved" />
            ) : null}
            {other.length ? (
              <Alert color="red" icon={<IconAlert />} title="Not saved">
                {other.map(([f, m]) => (
                  <div key={f}>
                    {f}: {m}
                  </div>
                ))}
              </Alert>
            ) : null}
            <TextInput
              label="Name"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.name}
              data-autofocus
            />
            <RemoteSelect
              {...profileOptions(tenantId)}
              label="Archiving profile"
              required
              placeholder="Choose a profile"
              value={profileId}
              onChange={setProfileId}
              error={errors['target.profileId'] ?? errors.target}
            />
            <Switch
              label="Enabled"
              description="A disabled schedule does not fire; Run now still works."
              checked={enabled}
              onChange={(e) => setEnabled(e.currentTarget.checked)}
            />
            <Select
              label="Time zone"
              required
              searchable
              data={TIME_ZONES}
              value={timezone}
              onChange={(v) => setTimezone(v ?? '')}
              error={errors.timezone}
              allowDeselect={false}
            />
            <Fieldset legend="Recurrence">
              <Stack>
                <SegmentedControl
                  aria-label="Recurrence type"
                  value={recurrence.type}
                  onChange={(v) => setR({ type: v })}
                  data={[
                    { value: 'once', label: 'Once' },
                    { value: 'interval', label: 'Interval' },
                    { value: 'daily', label: 'Daily' },
                    { value: 'cron', label: 'Cron' },
                  ]}
                />
                {recurrence.type === 'once' ? (
                  <TextInput
                    label="At"
                    type="datetime-local"
                    description="Date and time in the schedule's time zone."
                    value={recurrence.at}
                    onChange={(e) => setR({ at: e.currentTarget.value })}
                    error={recurrenceError('at')}
                  />
                ) : null}
                {recurrence.type === 'interval' ? (
                  <TextInput
                    label="Every (minutes)"
                    inputMode="numeric"
                    description="At least 15 minutes of elapsed time between runs."
                    value={recurrence.everyMinutes}
                    onChange={(e) => setR({ everyMinutes: e.currentTarget.value })}
                    error={recurrenceError('everyMinutes')}
                  />
                ) : null}
                {recurrence.type === 'daily' ? (
                  <>
                    <TagsInput
                      label="Times"
                      description="Local times as HH:MM, e.g. 02:30. Press Enter after each."
                      value={recurrence.times}
                      onChange={(times) => setR({ times })}
                      error={recurrenceError('times')}
                    />
                    <Chip.Group
                      multiple
                      value={recurrence.weekdays}
                      onChange={(days) => setR({ weekdays: days })}
                    >
                      <Stack gap={4}>
                        <Text size="sm" fw={500}>
                          Days
                        </Text>
                        <Group gap={6}>
                          {WEEKDAYS.map((day) => (
                            <Chip key={day} value={day} size="sm">
                              {dayName(day)}
                            </Chip>
                          ))}
                        </Group>
                        <Text size="xs" c={recurrenceError('weekdays') ? 'red' : 'dimmed'}>
                          {recurrenceError('weekdays') ?? 'None chosen: every day.'}
                        </Text>
                      </Stack>
                    </Chip.Group>
                  </>
                ) : null}
                {recurrence.type === 'cron' ? (
                  <TextInput
                    label="Cron expression"
                    description="5 fields (minute hour day-of-month month day-of-week) in the schedule's time zone, e.g. 30 2 * * 1-5."
                    ff="monospace"
                    value={recurrence.expression}
                    onChange={(e) => setR({ expression: e.currentTarget.value })}
                    error={recurrenceError('expression')}
                  />
                ) : null}
                <Text size="xs" c="dimmed">
                  Daylight saving time: a local time the clock skips runs at the end of the gap; a local time
                  that occurs twice runs once.
                </Text>
              </Stack>
            </Fieldset>
            <Group justify="flex-end">
              <Button variant="default" component={Link} to={tenantPath(tenantId, 'schedules')}>
                {saved ? 'Back' : 'Cancel'}
              </Button>
              <Button type="submit" loading={save.isPending}>
                {saved ? 'Save' : 'Create'}
              </Button>
            </Group>
          </Stack>
        </form>
        <div style={{ flex: '1 1 280px', maxWidth: 420 }}>
          {saved ? (
            <NextRuns tenantId={tenantId} schedule={saved} />
          ) : (
            <Paper withBorder p="md">
              <Text size="sm" c="dimmed">
                The next run times are shown once the schedule is created.
              </Text>
            </Paper>
          )}
        </div>
      </Group>
    </>
  );
}
