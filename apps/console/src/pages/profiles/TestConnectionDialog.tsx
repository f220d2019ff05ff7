import { Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { api } from '../../api/client';
import { mailboxOptions } from '../../api/options';
import { ApiError, json } from '../../api/problem';
import { IconCopy } from '../../components/icons';
import { ErrorAlert } from '../../components/page';
import { RemoteSelect } from '../../components/RemoteSelect';
import { type TestResult, TestResultView } from '../../components/TestResultView';
import { copyText } from '../../lib/download';
import { formatDuration } from '../../lib/format';
import type { ProfileCreateBody } from './profile-model';

/**
 * P11 and the seed's "Test Connection" dialog: tests the form's current values (a draft, saved or
 * not). Single mode tests at once; multiple mode first asks for a mailbox of the directory service.
 */
export function TestConnectionDialog({
  onClose,
  tenantId,
  draft,
  onFieldErrors,
}: {
  onClose: () => void;
  tenantId: string;
  /** The request body of the draft (bodyOf(draft, 'test')). */
  draft: ProfileCreateBody;
  onFieldErrors: (errors: Record<string, string>) => void;
}) {
  const multiple = draft.mode === 'multiple';
  const directoryServiceId = ('directoryServiceId' in draft && draft.directoryServiceId) || '';
  const [mailboxId, setMailboxId] = useState('');
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  const test = useMutation({
    mutationFn: (mailbox: string | undefined) =>
      json(
        api.POST('/api/v1/tenants/{tenantId}/archiving-profiles/test-connection', {
          params: { path: { tenantId }, query: mailbox ? { mailboxId: mailbox } : {} },
          // The values as typed; the API names what is wrong with them (field errors).
          body: draft,
        }),
      ),
    onError: (error) => {
      if (error instanceof ApiError && error.problem.errors?.length) onFieldErrors(error.fieldErrors);
    },
  });
  const { mutate } = test;

  // Mounted when the dialog opens: a single-mailbox profile is tested at once.
  useEffect(() => {
    if (!multiple) mutate(undefined);
  }, [multiple, mutate]);

  async function copy(result: TestResult) {
    try {
      await copyText(result.transcript);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  const result = test.data;
  return (
    <Modal opened onClose={onClose} title="Test connection" size="xl">
      <Stack>
        {multiple ? (
          <Group align="flex-end" wrap="wrap">
            <RemoteSelect
              {...mailboxOptions(tenantId, directoryServiceId)}
              label="Mailbox to test"
              description="A multiple-mailbox profile is tested against one mailbox of its directory service."
              placeholder="Choose a mailbox"
              value={mailboxId}
              onChange={setMailboxId}
              style={{ flex: 1, minWidth: 240 }}
              data-autofocus
            />
            <Button disabled={!mailboxId} loading={test.isPending} onClick={() => test.mutate(mailboxId)}>
              Test
            </Button>
          </Group>
        ) : null}
        {test.isPending ? (
          <Group role="status" aria-live="polite">
            <Loader size="sm" />
            <Text size="sm">Connecting to the mail server…</Text>
          </Group>
        ) : null}
        {test.isError ? (
          <ErrorAlert
            error={test.error}
            title={
              test.error instanceof ApiError && test.error.problem.errors?.length
                ? 'The profile is not complete: see the fields marked in the form'
                : 'The test could not be run'
            }
          />
        ) : null}
        {result ? (
          <TestResultView
            result={result}
            success={
              <>
                Mailkeep signed in and listed the folders in {formatDuration(result.durationMs)}. Nothing was
                changed.
              </>
            }
          />
        ) : null}
        <Group justify="space-between">
          <Text size="xs" c={copied === 'failed' ? 'red' : 'dimmed'} role="status" aria-live="polite">
            {copied === 'yes'
              ? 'The transcript is on the clipboard.'
              : copied === 'failed'
                ? 'The browser did not allow copying. Select the transcript and copy it by hand.'
                : 'Copy the transcript when you contact support.'}
          </Text>
          <Group gap="xs">
            <Button
              variant="default"
              leftSection={<IconCopy />}
              disabled={!result}
              onClick={() => result && void copy(result)}
            >
              Copy to clipboard
            </Button>
            {!multiple ? (
              <Button variant="default" disabled={test.isPending} onClick={() => test.mutate(undefined)}>
                Test again
              </Button>
            ) : null}
            <Button onClick={onClose}>Close</Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
