import { useQueryClient } from '@tanstack/react-query';
import type { AuditEntity } from '../../shared/api';
import { historyQueryKey } from '../../shared/history';
import { customerQueryKeys } from './customersApi';

/**
 * What to refresh after a write. Contacts carry the company name and companies carry a contact
 * count, so a write to either invalidates both lists.
 */
export function useCustomerInvalidation() {
  const queryClient = useQueryClient();
  return async (entity: AuditEntity, id?: string) => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: customerQueryKeys.companies }),
      queryClient.invalidateQueries({ queryKey: customerQueryKeys.contacts }),
      id ? queryClient.invalidateQueries({ queryKey: historyQueryKey(entity, id) }) : Promise.resolve(),
    ]);
  };
}
