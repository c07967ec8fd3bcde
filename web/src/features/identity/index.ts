// Signing in and creating a workspace; the session itself lives in shared/session.
export { SignInPage } from './SignInPage';
export { SignUpPage } from './SignUpPage';
export { ForgotPasswordPage } from './ForgotPasswordPage';
export { ResetPasswordPage } from './ResetPasswordPage';
