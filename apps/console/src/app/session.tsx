import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, use, useCallback, useEffect, useMemo, useState } from 'react';

import { setApiKey, setUnauthenticatedHandler } from '../api/client';

/**
 * Who is signed in. The key lives in session storage: it survives a reload of the tab, and is
 * gone when the tab is closed (a key grants a whole tenant, or all of them).
 */
export interface Session {
  readonly apiKey: string;
  /** Operator keys reach every tenant; admin and auditor keys only `tenantId`. */
  readonly operator: boolean;
  readonly tenantId?: string;
}

const STORAGE_KEY = 'mailkeep.console.session';

function load(): Session | null {
  try {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    const session = stored ? (JSON.parse(stored) as Session) : null;
    // Set before the first render: the pages' first requests already need it.
    setApiKey(session?.apiKey);
    return session;
  } catch {
    return null;
  }
}

interface SessionContextValue {
  readonly session: Session | null;
  readonly signIn: (session: Session) => void;
  readonly signOut: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | null>(load);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setApiKey(undefined);
    queryClient.clear();
    setSession(null);
  }, [queryClient]);

  const signIn = useCallback(
    (next: Session) => {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      setApiKey(next.apiKey);
      queryClient.clear();
      setSession(next);
    },
    [queryClient],
  );

  // A 401 on any request means the key stopped working (revoked, tenant deleted): sign out.
  useEffect(() => {
    setUnauthenticatedHandler(signOut);
    return () => setUnauthenticatedHandler(undefined);
  }, [signOut]);

  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionContextValue {
  const value = use(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
