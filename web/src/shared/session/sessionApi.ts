import { api, isApiError, setCsrfToken, type MfaChallenge, type Session } from '../api';

export interface SignUpInput {
  workspaceName: string;
  name: string;
  email: string;
  password: string;
}

export interface SignInInput {
  email: string;
  password: string;
}

function remember(session: Session): Session {
  setCsrfToken(session.csrfToken);
  return session;
}

/** The current session, or null when nobody is signed in (a 401 is an answer, not a failure). */
export async function fetchSession(): Promise<Session | null> {
  try {
    return remember(await api.get<Session>('/auth/me'));
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export async function signUp(input: SignUpInput): Promise<Session> {
  return remember(await api.post<Session>('/signup', input));
}

export async function signIn(input: SignInInput): Promise<Session | MfaChallenge> {
  const result = await api.post<Session | MfaChallenge>('/auth/login', input);
  return 'mfaRequired' in result ? result : remember(result);
}

export async function signInWithTotp(input: { mfaToken: string; code: string }): Promise<Session> {
  return remember(await api.post<Session>('/auth/login/totp', input));
}

export async function signOut(): Promise<void> {
  try {
    await api.post<void>('/auth/logout');
  } finally {
    setCsrfToken(null);
  }
}
