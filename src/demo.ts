// The demo workspace created on first start: a few dozen companies and a few hundred
// contacts (some with Chinese names), made by the same factories the tests use and written
// through the same services as any user's data, so they carry history too.
import type { Rapport } from './app.js';
import { createCustomerFactory } from './modules/customers/index.js';
import type { Actor } from './platform/actor.js';

export const demoCredentials = { email: 'demo@rapport.local', password: 'rapport-demo' } as const;

export async function seedDemoWorkspace(
  services: Rapport['services'],
  sizes: { companies: number; contacts: number } = { companies: 30, contacts: 150 },
) {
  const { tenant, user } = await services.identity.createWorkspace({
    workspaceName: 'Demo Workspace', name: 'Demo User', email: demoCredentials.email, password: demoCredentials.password,
  });
  const actor: Actor = { tenantId: tenant.id, userId: user.id, name: user.name, type: 'user', role: user.role };
  const factory = createCustomerFactory(2026);
  const companyIds: string[] = [];
  for (let index = 0; index < sizes.companies; index++) {
    companyIds.push((await services.companies.create(actor, factory.company())).id);
  }
  for (let index = 0; index < sizes.contacts; index++) {
    const companyId = factory.random.chance(0.85) ? factory.random.pick(companyIds) : null;
    await services.contacts.create(actor, factory.contact({ companyId }));
  }
  return { tenant, user };
}
