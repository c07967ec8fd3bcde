// The database as TypeScript sees it (CamelCasePlugin maps these names to snake_case).
// Each table is owned by one module; only that module's repository writes it.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export interface TenantTable {
  id: string;
  name: string;
  slug: string;
  timeZone: Generated<string>;
  createdAt: Generated<Date>;
  requireTotp: Generated<boolean>;
}

export interface AppUserTable {
  tenantId: string;
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
  role: string;
  locale: Generated<string>;
  timeZone: Generated<string>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
  disabledAt: Date | null;
}

export interface SessionTable {
  tenantId: string;
  id: string;
  tokenHash: Buffer;
  userId: string;
  createdAt: Generated<Date>;
  expiresAt: Timestamp;
  ip: string | null;
  userAgent: string | null;
  revokedAt: Timestamp | null;
}

export interface ApiKeyTable {
  tenantId: string;
  id: string;
  name: string;
  prefix: string;
  secretHash: Buffer;
  userId: string;
  role: string | null;
  createdAt: Generated<Date>;
  revokedAt: Timestamp | null;
}

export interface CompanyTable {
  tenantId: string;
  id: string;
  name: string;
  website: string | null;
  domain: string | null;
  email: string | null;
  phone: string | null;
  industry: string | null;
  city: string | null;
  country: string | null;
  ownerId: string | null;
  /** Values of the tenant's custom fields, keyed by definition key (migration 0007). */
  customFields: CustomFieldValues;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface ContactTable {
  tenantId: string;
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** Blind index of the phone when it is encrypted (migration 0005). */
  phoneIndex: Buffer | null;
  title: string | null;
  companyId: string | null;
  ownerId: string | null;
  /** Values of the tenant's custom fields, keyed by definition key (migration 0007). */
  customFields: CustomFieldValues;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface ChangeLogTable {
  tenantId: string;
  seq: string;
  at: Generated<Date>;
  actorId: string | null;
  actorName: string | null;
  actorType: string;
  entity: string;
  entityId: string;
  operation: string;
  before: Json | null;
  after: Json | null;
  requestId: string | null;
  ip: string | null;
  hash: Buffer;
}

export interface ChangeLogHeadTable {
  tenantId: string;
  seq: string;
  hash: Buffer;
}

export interface RoleTable {
  tenantId: string;
  id: string;
  key: string;
  name: string;
  grants: ColumnType<unknown, string, string>;
  fieldRules: ColumnType<unknown, string, string>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface TeamTable {
  tenantId: string;
  id: string;
  name: string;
  parentId: string | null;
  managerId: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface TeamMemberTable {
  tenantId: string;
  teamId: string;
  userId: string;
}

export interface DB {
  role: RoleTable;
  team: TeamTable;
  teamMember: TeamMemberTable;
  tenant: TenantTable;
  appUser: AppUserTable;
  session: SessionTable;
  apiKey: ApiKeyTable;
  company: CompanyTable;
  contact: ContactTable;
  changeLog: ChangeLogTable;
  changeLogHead: ChangeLogHeadTable;
  ssoOidcSetting: SsoOidcSettingTable;
  ssoSamlSetting: SsoSamlSettingTable;
  ssoLoginAttempt: SsoLoginAttemptTable;
  userTotp: UserTotpTable;
  totpRecoveryCode: TotpRecoveryCodeTable;
  mfaChallenge: MfaChallengeTable;
  passwordResetToken: PasswordResetTokenTable;
  signInAttempt: SignInAttemptTable;
  tenantDataKey: TenantDataKeyTable;
  tenantEncryptionSetting: TenantEncryptionSettingTable;
  customField: CustomFieldTable;
  tag: TagTable;
  recordTag: RecordTagTable;
  segment: SegmentTable;
  savedView: SavedViewTable;
}

// Field encryption (platform/encryption, migration 0005).
export interface TenantDataKeyTable {
  tenantId: string;
  version: number;
  wrappedKey: Buffer;
  wrappedBy: string;
  createdAt: Generated<Date>;
  retiredAt: Date | null;
}

export interface TenantEncryptionSettingTable {
  tenantId: string;
  fields: string[];
  updatedAt: Generated<Date>;
}

// Single sign-on (identity module, migration 0004).
export interface SsoOidcSettingTable {
  tenantId: string;
  id: string;
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  allowedDomains: string[];
  defaultRole: string;
  isEnabled: boolean;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}

export interface SsoSamlSettingTable {
  tenantId: string;
  id: string;
  entryPoint: string;
  idpCertificate: string;
  spEntityId: string;
  allowedDomains: string[];
  defaultRole: string;
  isEnabled: boolean;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}

export interface SsoLoginAttemptTable {
  tenantId: string;
  id: string;
  protocol: 'oidc' | 'saml';
  stateHash: Buffer | null;
  nonce: string | null;
  codeVerifier: string | null;
  redirectUri: string | null;
  requestId: string | null;
  requestedAt: string | null;
  createdAt: Generated<Date>;
  expiresAt: Timestamp;
}

// Sign-in security (identity module, migration 0003).
export interface UserTotpTable {
  tenantId: string;
  id: string;
  userId: string;
  secret: string;
  enabledAt: Timestamp | null;
  lastUsedStep: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  createdAt: Generated<Date>;
}

export interface TotpRecoveryCodeTable {
  tenantId: string;
  id: string;
  userId: string;
  codeHash: Buffer;
  usedAt: Timestamp | null;
  createdAt: Generated<Date>;
}

export interface MfaChallengeTable {
  tenantId: string;
  id: string;
  tokenHash: Buffer;
  userId: string;
  expiresAt: Timestamp;
  attempts: Generated<number>;
  usedAt: Timestamp | null;
  createdAt: Generated<Date>;
}

export interface PasswordResetTokenTable {
  tenantId: string;
  id: string;
  tokenHash: Buffer;
  userId: string;
  expiresAt: Timestamp;
  usedAt: Timestamp | null;
  createdAt: Generated<Date>;
}

export interface SignInAttemptTable {
  id: string;
  email: string;
  ip: string;
  succeeded: boolean;
  at: Generated<Date>;
}

// Custom fields, tags, segments and saved views (customers module, migration 0007).
type CustomFieldValues = ColumnType<Record<string, unknown>, string | undefined, string>;

export interface CustomFieldTable {
  tenantId: string;
  id: string;
  object: string;
  key: string;
  label: string;
  type: string;
  options: ColumnType<string[], string | undefined, string>;
  referenceObject: string | null;
  required: boolean;
  sensitive: boolean;
  position: number;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface TagTable {
  tenantId: string;
  id: string;
  name: string;
  color: string | null;
  createdAt: Generated<Date>;
}

export interface RecordTagTable {
  tenantId: string;
  tagId: string;
  object: string;
  recordId: string;
  createdAt: Generated<Date>;
}

export interface SegmentTable {
  tenantId: string;
  id: string;
  object: string;
  name: string;
  filter: Json;
  ownerId: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface SavedViewTable {
  tenantId: string;
  id: string;
  object: string;
  name: string;
  ownerId: string | null;
  shared: boolean;
  columns: ColumnType<string[], string, string>;
  filter: Json | null;
  sort: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}
