import { api } from '../../shared/api';

export interface TotpStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
  requiredByWorkspace: boolean;
}

export interface TotpSetup {
  secret: string;
  uri: string;
}

export interface UserSession {
  id: string;
  createdAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export const securityQueryKeys = {
  totp: ['security', 'totp'] as const,
  sessions: ['security', 'sessions'] as const,
  workspace: ['security', 'workspace'] as const,
};

export const securityApi = {
  getTotpStatus: () => api.get<TotpStatus>('/auth/totp'),
  setupTotp: () => api.post<TotpSetup>('/auth/totp/setup'),
  enableTotp: (code: string) => api.post<{ recoveryCodes: string[] }>('/auth/totp/enable', { code }),
  disableTotp: (code: string) => api.post<void>('/auth/totp/disable', { code }),
  listSessions: () => api.get<{ items: UserSession[] }>('/sessions'),
  revokeSession: (id: string) => api.delete(`/sessions/${id}`),
  getWorkspaceSecurity: () => api.get<{ requireTotp: boolean }>('/workspace/security'),
  updateWorkspaceSecurity: (requireTotp: boolean) => api.patch<{ requireTotp: boolean }>('/workspace/security', { requireTotp }),
  changePassword: (input: { currentPassword: string; password: string }) => api.post<void>('/auth/password', input),
};
