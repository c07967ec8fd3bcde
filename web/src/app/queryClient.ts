import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '../shared/api';
import { sessionQueryKey } from '../shared/session';

export function createQueryClient(): QueryClient {
  // When the session expires mid-use, any 401 drops the cached session so the router
  // sends the user to sign in instead of showing a page of errors.
  const handleError = (error: unknown) => {
    if (isApiError(error) && error.status === 401) queryClient.setQueryData(sessionQueryKey, null);
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: handleError }),
    mutationCache: new MutationCache({ onError: handleError }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        // Client errors (404, 403, validation) will not fix themselves on retry.
        retry: (failureCount, error) => failureCount < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      },
    },
  });
  return queryClient;
}
