import { Type, type Static } from '@sinclair/typebox';

const Email = Type.String({ format: 'email', maxLength: 254 });
export const minPasswordLength = 10;
const Password = Type.String({ minLength: minPasswordLength, maxLength: 200 });

export const User = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  email: Type.String(),
  role: Type.String(),
  locale: Type.String(),
});
export type User = Static<typeof User>;

export const Tenant = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  slug: Type.String(),
});
export type Tenant = Static<typeof Tenant>;

export const SignupBody = Type.Object({
  workspaceName: Type.String({ minLength: 1, maxLength: 120 }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  email: Email,
  password: Password,
}, { additionalProperties: false });
export type SignupBody = Static<typeof SignupBody>;

export const LoginBody = Type.Object({
  email: Email,
  password: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false });
export type LoginBody = Static<typeof LoginBody>;

export const SessionInfo = Type.Object({
  user: User, tenant: Tenant, csrfToken: Type.String(),
  totpSetupRequired: Type.Optional(Type.Boolean({ description: 'The workspace requires two-factor sign-in: until it is set up, only the /auth/totp routes answer' })),
});
export type SessionInfo = Static<typeof SessionInfo>;

export const ApiKey = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to tell keys apart' }),
  role: Type.Union([Type.String(), Type.Null()], { description: 'The role the key acts with; null: its creator\'s role' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type ApiKey = Static<typeof ApiKey>;

export const CreatedApiKey = Type.Intersect([ApiKey, Type.Object({
  secret: Type.String({ description: 'The key itself. Shown once: only its hash is stored.' }),
})]);
export type CreatedApiKey = Static<typeof CreatedApiKey>;

export const CreateApiKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  role: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'Bind the key to a role (administrators only); default: act as its creator' })),
}, { additionalProperties: false });
export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>;
