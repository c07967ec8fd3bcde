export { ApiError, isApiError, type FieldErrorDetail } from './ApiError';
export { api, requestApi, setCsrfToken, toQueryString, uploadApi, type QueryValue } from './apiClient';
export type * from './types';
