// The data tiers of BENCHMARKS.md. Tenant sizes follow Zipf's law (the k-th largest tenant
// has 1/k of the largest one's contacts), as real multi-tenant CRMs do: a few big
// workspaces, a long tail of small ones. Only companies and contacts have tables today;
// activities, deals and tickets are listed so the tier reads like the spec and are
// generated once their modules exist.
export type TierName = 'XS' | 'S' | 'M';

export interface Tier {
  name: TierName;
  tenants: number;
  largestContacts: number;
  /** Companies per contact in every tenant (XS: 2k companies for 10k contacts). */
  companiesPerContact: number;
  /** Listed in BENCHMARKS.md; not generated until their tables exist. */
  pending: { activities: number; deals: number; tickets: number };
}

export const tiers: Record<TierName, Tier> = {
  XS: { name: 'XS', tenants: 1, largestContacts: 10_000, companiesPerContact: 0.2, pending: { activities: 50_000, deals: 2_000, tickets: 2_000 } },
  S: { name: 'S', tenants: 10, largestContacts: 200_000, companiesPerContact: 0.2, pending: { activities: 1_000_000, deals: 0, tickets: 0 } },
  M: { name: 'M', tenants: 1_000, largestContacts: 1_000_000, companiesPerContact: 0.2, pending: { activities: 5_000_000, deals: 0, tickets: 0 } },
};

/** Contacts per tenant, largest first: Zipf with exponent 1, at least 20 contacts each. */
export function listTenantSizes(tier: Tier): number[] {
  return Array.from({ length: tier.tenants }, (_, index) => Math.max(20, Math.round(tier.largestContacts / (index + 1))));
}

export function isTierName(value: string): value is TierName {
  return value === 'XS' || value === 'S' || value === 'M';
}
