import type { DuplicateWarnings } from '../duplicates/duplicatesApi';
// Shapes of the server's JSON, shared by every feature (the API contract, not UI state).

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface User {
  id: string;
  name: string;
  email: string;
  role: string;
  locale: string | null;
}

export interface Tenant {
  id: string;
  name: string;
  slug: string;
}

export interface Session {
  user: User;
  tenant: Tenant;
  csrfToken: string;
  /** The workspace requires two-factor sign-in and this user must set it up first. */
  totpSetupRequired?: boolean;
}

/** The password was right and a second factor is due: send the token with a code. */
export interface MfaChallenge {
  mfaRequired: true;
  mfaToken: string;
}

export interface Company {
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
  contactCount?: number;
  /** Values of the workspace's custom fields by key; hidden ones are absent. */
  customFields?: Record<string, unknown>;
  tags?: string[];
  /** Present after a create or update that found likely duplicates. */
  warnings?: DuplicateWarnings;
  createdAt: string;
  updatedAt: string;
}

export interface Contact {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  companyId: string | null;
  companyName: string | null;
  ownerId: string | null;
  /** Values of the workspace's custom fields by key; hidden ones are absent. */
  customFields?: Record<string, unknown>;
  tags?: string[];
  /** Present after a create or update that found likely duplicates. */
  warnings?: DuplicateWarnings;
  createdAt: string;
  updatedAt: string;
}

export type AuditEntity = 'company' | 'contact';

export interface AuditEntry {
  seq: number;
  entity: AuditEntity;
  entityId: string;
  operation: 'create' | 'update' | 'delete';
  actor: { id: string; name: string } | null;
  at: string;
  changes: Record<string, { before: unknown; after: unknown }>;
}
