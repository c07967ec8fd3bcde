import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useMemo, type ReactNode } from 'react';
import type { MfaChallenge, Session } from '../api';
import * as sessionApi from './sessionApi';

export const sessionQueryKey = ['session'] as const;

export interface SessionContextValue {
  session: Session | null;
  isLoading: boolean;
  /** A session, or the challenge of a second factor to answer with signInWithTotp. */
  signIn: (input: sessionApi.SignInInput) => Promise<Session | MfaChallenge>;
  signInWithTotp: (input: { mfaToken: string; code: string }) => Promise<Session>;
  signUp: (input: sessionApi.SignUpInput) => Promise<Session>;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const sessionQuery = useQuery({
    queryKey: sessionQueryKey,
    queryFn: sessionApi.fetchSession,
    staleTime: Infinity,
    retry: false,
  });

  const value = useMemo<SessionContextValue>(() => {
    const startSession = (session: Session) => {
      // Another person may have used this browser: nothing cached may leak into the new session.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
      queryClient.setQueryData(sessionQueryKey, session);
      return session;
    };
    return {
      session: sessionQuery.data ?? null,
      isLoading: sessionQuery.isPending,
      signIn: async (input) => {
        const result = await sessionApi.signIn(input);
        return 'mfaRequired' in result ? result : startSession(result);
      },
      signInWithTotp: async (input) => startSession(await sessionApi.signInWithTotp(input)),
      signUp: async (input) => startSession(await sessionApi.signUp(input)),
      signOut: async () => {
        try {
          await sessionApi.signOut();
        } finally {
          queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
          queryClient.setQueryData(sessionQueryKey, null);
        }
      },
    };
  }, [queryClient, sessionQuery.data, sessionQuery.isPending]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
