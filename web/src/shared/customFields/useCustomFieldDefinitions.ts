import { useQuery } from '@tanstack/react-query';
import { customFieldsApi, customizationQueryKeys, type CustomFieldObject } from './customFieldsApi';

/** The object's custom fields the signed-in user may see, in their display order. */
export function useCustomFieldDefinitions(object: CustomFieldObject) {
  const query = useQuery({
    queryKey: customizationQueryKeys.customFields(object),
    queryFn: ({ signal }) => customFieldsApi.list(object, signal),
    staleTime: 60_000,
  });
  return query.data ?? [];
}
