import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';

import { ApiError, errorText, fetchOk } from '../api/problem';
import { IconAlert } from '../components/icons';
import { type Session, useSession } from './session';
import { tenantPath } from './tenant';

/**
 * Finds out what the key may do from the key alone (`GET /api/v1/session`): operators choose a
 * tenant after signing in; admin and auditor keys belong to one tenant.
 */
async function probe(apiKey: string): Promise<Session | { field: 'apiKey'; message: string }> {
  let response: Response;
  try {
    response = await fetchOk('/api/v1/session', { headers: { Authorization: `Bearer ${apiKey}` } });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      return { field: 'apiKey', message: 'This API key is not valid (or has been revoked).' };
    }
    throw error;
  }
  const who = (await response.json()) as { role: string; tenantId: string | null };
  if (who.role === 'operator' || who.tenantId === null) return { apiKey, operator: true };
  return { apiKey, operator: false, tenantId: who.tenantId.toLowerCase() };
}

export function SignInPage() {
  const { session, signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next') ?? '';
  const [apiKey, setApiKey] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ apiKey?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  if (session) return <Navigate to={next || '/'} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      const result = await probe(apiKey.trim());
      if ('field' in result) {
        setFieldErrors({ [result.field]: result.message });
        return;
      }
      signIn(result);
      const target =
        next.startsWith('/') && !next.startsWith('//')
          ? next
          : result.tenantId
            ? tenantPath(result.tenantId, 'archiving-profiles')
            : '/tenants';
      void navigate(target, { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  }

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={440} component="main">
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack>
            <div>
              <Title order={1} size="h2">
                Mailkeep
              </Title>
              <Text c="dimmed" size="sm">
                Sign in with an API key.
              </Text>
            </div>
            <PasswordInput
              label="API key"
              required
              autoComplete="off"
              value={apiKey}
              onChange={(event) => setApiKey(event.currentTarget.value)}
              error={fieldErrors.apiKey}
              data-autofocus
            />
            {error ? (
              <Alert color="red" icon={<IconAlert />} role="alert">
                {errorText(error)}
              </Alert>
            ) : null}
            <Button type="submit" loading={pending} disabled={!apiKey.trim()}>
              Sign in
            </Button>
            <Text size="xs" c="dimmed">
              The key is kept in this browser tab only and forgotten when the tab is closed. API
              documentation:{' '}
              <Anchor href="/api/docs" size="xs">
                /api/docs
              </Anchor>
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
