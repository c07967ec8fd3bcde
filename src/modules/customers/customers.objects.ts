// What the authorization engine needs to know about companies and contacts: their owner
// field, the fields a role may hide or make read only, and the fields no body may set.
import type { ObjectDeclaration } from '../../platform/authorization/policy.js';

const systemFields = ['id', 'tenantId', 'createdAt', 'updatedAt'] as const;

export const companyObject: ObjectDeclaration = {
  name: 'company',
  table: 'company',
  ownerField: 'ownerId',
  // customFields hides all of them; a rule on customFields.<key> hides or freezes one.
  fields: ['name', 'website', 'domain', 'email', 'phone', 'industry', 'city', 'country', 'ownerId', 'customFields', 'tags'],
  protectedFields: [...systemFields, 'domain'],
};

export const contactObject: ObjectDeclaration = {
  name: 'contact',
  table: 'contact',
  ownerField: 'ownerId',
  fields: ['name', 'email', 'phone', 'title', 'companyId', 'ownerId', 'customFields', 'tags'],
  protectedFields: [...systemFields, 'companyName'],
};

export const customerObjects = [companyObject, contactObject];
