/** Who is signed in, for every page: loaded once, replaced on sign-in, cleared on sign-out or expiry. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, session as transport } from './client.ts';
import { usePreloaded } from './preload.tsx';

export interface Me {
  id: string;
  name: string;
  kind: 'staff' | 'citizen';
  roles: string[];
  permissions: string[];
  menus: string[];
  dataScope: string;
  departments: string[];
  /** Roles and posts: what candidate groups are matched against. */
  groups: string[];
  csrfToken: string | null;
  expiresAt: string | null;
}

interface SessionState {
  /** undefined while loading; null when nobody is signed in. */
  me: Me | null | undefined;
  signIn(username: string, password: string): Promise<Me>;
  /** A citizen: mobile and the code the SMS brought. */
  signInBySms(mobile: string, code: string): Promise<Me>;
  signOut(): Promise<void>;
  /** The session ended behind our back (401): back to sign-in, then here again. */
  expired: boolean;
  can(permission: string): boolean;
}

const Context = createContext<SessionState | null>(null);
const ME = '/api/auth/me';

/**
 * `anonymousOk`: a site visited without signing in (the portal) asks who is
 * signed in in a way that answers null rather than 401, which a browser logs
 * as an error.
 */
export function SessionProvider({ children, anonymousOk = false }: { children: ReactNode; anonymousOk?: boolean }) {
  // Known at once on a page the server rendered; otherwise asked for below.
  const [me, setMe] = useState<Me | null | undefined>(usePreloaded<Me>(ME));
  const [expired, setExpired] = useState(false);
  const adopt = useCallback((next: Me | null) => {
    transport.setCsrf(next?.csrfToken ?? null);
    setMe(next);
  }, []);

  useEffect(() => {
    transport.onExpired(() => {
      setExpired(true);
      adopt(null);
    });
    if (anonymousOk)
      api.get<{ me: Me | null }>('/api/auth/session').then(
        (r) => adopt(r.me),
        () => adopt(null),
      );
    // Shared with the request main.tsx started before the first render.
    else api.getShared<Me>(ME).then(adopt, () => adopt(null));
  }, [adopt, anonymousOk]);

  const value = useMemo<SessionState>(
    () => ({
      me,
      expired,
      async signIn(username, password) {
        const signedIn = await api.post<Me>('/api/auth/login', {
          username,
          password,
        });
        setExpired(false);
        adopt(signedIn);
        return signedIn;
      },
      async signInBySms(mobile, code) {
        const signedIn = await api.post<Me>('/api/auth/sms-login', { mobile, code });
        setExpired(false);
        adopt(signedIn);
        return signedIn;
      },
      async signOut() {
        await api.post('/api/auth/logout').catch(() => undefined);
        adopt(null);
      },
      can: (permission) => !!me?.permissions.includes(permission),
    }),
    [me, expired, adopt],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(Context);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
