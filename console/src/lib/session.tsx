/**
 * Who is signed in. The session itself is the HttpOnly cookie the API set; this keeps the user, their
 * roles and the anti-forgery token in memory, and sends the page to sign-in when the API stops
 * accepting the cookie (expired, revoked, signed out elsewhere).
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { rememberLanguage, type Language } from '../i18n';
import { ApiError, api, setCsrfToken, setSessionLostHandler, unwrap, type Me } from './client';

interface Session {
  /** undefined while the first check runs; null when nobody is signed in. */
  user: Me | null | undefined;
  /** Why the last session ended, when it was not the user's own sign-out. */
  ended: 'expired' | null;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** Ends every session of the user, in every browser and script, this one included. */
  signOutEverywhere: () => Promise<void>;
  setLanguage: (language: Language) => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null | undefined>(undefined);
  const [ended, setEnded] = useState<'expired' | null>(null);
  const queryClient = useQueryClient();
  const { i18n } = useTranslation();

  const adopt = useCallback(
    (me: Me) => {
      setCsrfToken(me.csrfToken);
      setEnded(null);
      setUser(me);
      rememberLanguage(me.language);
      void i18n.changeLanguage(me.language);
    },
    [i18n],
  );

  const lose = useCallback(() => {
    setCsrfToken(null);
    queryClient.clear();
    setUser((current) => {
      if (current) setEnded('expired');
      return null;
    });
  }, [queryClient]);

  useEffect(() => {
    setSessionLostHandler(lose);
    api.GET('/api/auth/me').then(
      (result) => (result.response.ok ? adopt(unwrap(result)) : setUser(null)),
      () => setUser(null),
    );
    return () => setSessionLostHandler(null);
  }, [adopt, lose]);

  /** What a sign-out leaves: nobody signed in, nothing cached. */
  const forget = useCallback(() => {
    setCsrfToken(null);
    queryClient.clear();
    setEnded(null);
    setUser(null);
  }, [queryClient]);

  const value = useMemo<Session>(
    () => ({
      user,
      ended,
      async signIn(username, password) {
        unwrap(await api.POST('/api/auth/session', { body: { username, password } }));
        adopt(unwrap(await api.GET('/api/auth/me')));
      },
      async signOut() {
        await api.POST('/api/auth/logout');
        forget();
      },
      async signOutEverywhere() {
        unwrap(await api.POST('/api/auth/logout-all'));
        forget();
      },
      async setLanguage(language) {
        rememberLanguage(language);
        await i18n.changeLanguage(language);
        if (user) {
          try {
            adopt(unwrap(await api.PATCH('/api/auth/me', { body: { language } })));
          } catch (error) {
            if (!(error instanceof ApiError)) throw error;
          }
        }
      },
    }),
    [user, ended, adopt, forget, i18n],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user; only for pages behind the sign-in gate. */
export function useMe(): Me {
  const { user } = useSession();
  if (!user) throw new Error('useMe on a page without a signed-in user');
  return user;
}
