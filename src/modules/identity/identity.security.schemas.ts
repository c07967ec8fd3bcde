// Schemas of the sign-in security routes: password reset and change, TOTP, sessions.
import { Type, type Static } from '@sinclair/typebox';
import { maxPasswordLength, minPasswordLength } from './identity.password-policy.js';

const NewPassword = Type.String({ minLength: minPasswordLength, maxLength: maxPasswordLength });
const Code = Type.String({ minLength: 6, maxLength: 20, description: 'A 6-digit code from the authenticator app, or a recovery code' });

export const PasswordResetRequestBody = Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) }, { additionalProperties: false });
export type PasswordResetRequestBody = Static<typeof PasswordResetRequestBody>;

export const PasswordResetConfirmBody = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  password: NewPassword,
}, { additionalProperties: false });
export type PasswordResetConfirmBody = Static<typeof PasswordResetConfirmBody>;

export const PasswordChangeBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: maxPasswordLength }),
  password: NewPassword,
}, { additionalProperties: false });
export type PasswordChangeBody = Static<typeof PasswordChangeBody>;

export const Accepted = Type.Object({ accepted: Type.Literal(true) });

export const MfaChallenge = Type.Object({
  mfaRequired: Type.Literal(true),
  mfaToken: Type.String({ description: 'Send it with a code to POST /api/v1/auth/login/totp within 5 minutes' }),
});

export const TotpLoginBody = Type.Object({ mfaToken: Type.String({ minLength: 1, maxLength: 200 }), code: Code }, { additionalProperties: false });
export type TotpLoginBody = Static<typeof TotpLoginBody>;

export const TotpCodeBody = Type.Object({ code: Code }, { additionalProperties: false });
export type TotpCodeBody = Static<typeof TotpCodeBody>;

export const TotpStatus = Type.Object({
  enabled: Type.Boolean(),
  recoveryCodesLeft: Type.Integer(),
  requiredByWorkspace: Type.Boolean(),
});

export const TotpSetup = Type.Object({
  secret: Type.String({ description: 'Base32; shown only in this answer' }),
  uri: Type.String({ description: 'otpauth:// URI for authenticator apps (as a QR code or text)' }),
});

export const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String(), { description: 'Single-use; shown only in this answer' }) });

export const WorkspaceSecurity = Type.Object({ requireTotp: Type.Boolean() });
export const WorkspaceSecurityBody = Type.Object({ requireTotp: Type.Boolean() }, { additionalProperties: false });
export type WorkspaceSecurityBody = Static<typeof WorkspaceSecurityBody>;

export const UserSession = Type.Object({
  id: Type.String({ format: 'uuid' }),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean({ description: 'The session this request was made with' }),
});
export type UserSession = Static<typeof UserSession>;

export const UserSessionParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  sessionId: Type.String({ format: 'uuid' }),
}, { additionalProperties: false });
