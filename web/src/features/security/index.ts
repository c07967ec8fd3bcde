// Sign-in security settings: two-factor sign-in, sessions, the workspace's 2FA rule, password.
export { SecurityPage } from './SecurityPage';
