import { Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';

import { api } from '../../api/client';
import { json } from '../../api/problem';
import { ErrorAlert } from '../../components/page';
import { TestResultView } from '../../components/TestResultView';
import { formatDuration } from '../../lib/format';
import type { Service } from './directory-model';

/** Tests a saved directory service's source: token, one page of users, the group. */
export function DirectoryTestDialog({
  tenantId,
  service,
  onClose,
}: {
  tenantId: string;
  service: Service;
  onClose: () => void;
}) {
  const test = useMutation({
    mutationFn: () =>
      json(
        api.POST('/api/v1/tenants/{tenantId}/directory-services/{id}/test-connection', {
          params: { path: { tenantId, id: service.id } },
        }),
      ),
  });
  const { mutate } = test;
  useEffect(() => mutate(), [mutate]);
  return (
    <Modal opened onClose={onClose} title={`Test ${service.name}`} size="xl">
      <Stack>
        {test.isPending ? (
          <Group role="status" aria-live="polite">
            <Loader size="sm" />
            <Text size="sm">Connecting to the directory…</Text>
          </Group>
        ) : null}
        {test.isError ? <ErrorAlert error={test.error} title="The test could not be run" /> : null}
        {test.data ? (
          <TestResultView
            result={test.data}
            success={
              <>
                Mailkeep signed in and read the users in {formatDuration(test.data.durationMs)}. Nothing was
                changed.
              </>
            }
          />
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" disabled={test.isPending} onClick={() => test.mutate()}>
            Test again
          </Button>
          <Button onClick={onClose}>Close</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
