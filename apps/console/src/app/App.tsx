import { createTheme, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from 'react-router';

import { ApiError } from '../api/problem';
import { NotFoundPage } from '../pages/NotFoundPage';
import { DirectoryServicesPage } from '../pages/directory/DirectoryServicesPage';
import { MailboxesPage } from '../pages/mailboxes/MailboxesPage';
import { MessagePage } from '../pages/messages/MessagePage';
import { MessagesPage } from '../pages/messages/MessagesPage';
import { ProfileFormPage } from '../pages/profiles/ProfileFormPage';
import { ProfilesPage } from '../pages/profiles/ProfilesPage';
import { RunPage } from '../pages/runs/RunPage';
import { RunsPage } from '../pages/runs/RunsPage';
import { ScheduleFormPage } from '../pages/schedules/ScheduleFormPage';
import { SchedulesPage } from '../pages/schedules/SchedulesPage';
import { SecretsPage } from '../pages/secrets/SecretsPage';
import { Layout } from './Layout';
import { SessionProvider, useSession } from './session';
import { SignInPage } from './SignInPage';
import { tenantPath } from './tenant';
import { TenantsPage } from './TenantsPage';

const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  // People who ask their system for less motion get no sliding drawers and modals.
  respectReducedMotion: true,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});

/**
 * Lists stay fresh for 10 s (a refresh icon or a change refetches at once); an error a retry
 * cannot fix (4xx) is shown at once instead of after three silent retries.
 */
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      retry: (failures, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
    },
  },
});

/** Signed-out visitors of a deep link sign in first and come back to it. */
function RequireSession({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return children;
}

function Home() {
  const { session } = useSession();
  if (!session) return <Navigate to="/sign-in" replace />;
  return (
    <Navigate
      to={session.tenantId ? tenantPath(session.tenantId, 'archiving-profiles') : '/tenants'}
      replace
    />
  );
}

const router = createBrowserRouter([
  { path: '/', element: <Home /> },
  { path: '/sign-in', element: <SignInPage /> },
  {
    path: '/tenants',
    element: (
      <RequireSession>
        <TenantsPage />
      </RequireSession>
    ),
  },
  {
    path: '/t/:tenantId',
    element: (
      <RequireSession>
        <Layout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Navigate to="archiving-profiles" replace /> },
      { path: 'archiving-profiles', element: <ProfilesPage /> },
      { path: 'archiving-profiles/:profileId', element: <ProfileFormPage /> },
      { path: 'schedules', element: <SchedulesPage /> },
      { path: 'schedules/:scheduleId', element: <ScheduleFormPage /> },
      { path: 'runs', element: <RunsPage /> },
      { path: 'runs/:runId', element: <RunPage /> },
      { path: 'messages', element: <MessagesPage /> },
      { path: 'messages/:messageId', element: <MessagePage /> },
      { path: 'mailboxes', element: <MailboxesPage /> },
      { path: 'directory-services', element: <DirectoryServicesPage /> },
      { path: 'secrets', element: <SecretsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]);

export function App() {
  return (
    <MantineProvider theme={theme}>
      <Notifications position="bottom-right" />
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
