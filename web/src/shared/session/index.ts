export { SessionProvider, sessionQueryKey } from './SessionProvider';
export { useSession } from './useSession';
export type { SignInInput, SignUpInput } from './sessionApi';
