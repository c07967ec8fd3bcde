import { Navigate, createBrowserRouter } from 'react-router';
import { AuditPage, RoleDetailPage, RolesPage, TeamsPage, UsersPage } from '../features/admin';
import { CompaniesPage, CompanyDetailPage, ContactDetailPage, ContactsPage } from '../features/customers';
import { CustomFieldsPage, SegmentsPage } from '../features/customization';
import { DuplicatesPage, MergePage } from '../features/duplicates';
import { ImportPage } from '../features/imports';
import { ForgotPasswordPage, ResetPasswordPage, SignInPage, SignUpPage } from '../features/identity';
import { SecurityPage } from '../features/security';
import { SsoSettingsPage } from '../features/sso';
import { AppLayout } from './AppLayout';
import { NotFoundPage } from './NotFoundPage';
import { RequireGuest, RequireSession } from './SessionGates';

export const router = createBrowserRouter([
  {
    element: <RequireGuest />,
    children: [
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/sign-up', element: <SignUpPage /> },
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
    ],
  },
  // Outside the gates: the emailed link works whether or not this browser is signed in.
  { path: '/reset-password', element: <ResetPasswordPage /> },
  {
    element: <RequireSession />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <Navigate to="/contacts" replace /> },
          { path: '/companies', element: <CompaniesPage /> },
          { path: '/companies/:id', element: <CompanyDetailPage /> },
          { path: '/contacts', element: <ContactsPage /> },
          { path: '/contacts/:id', element: <ContactDetailPage /> },
          { path: '/segments', element: <SegmentsPage /> },
          { path: '/imports', element: <ImportPage /> },
          { path: '/duplicates', element: <DuplicatesPage /> },
          { path: '/duplicates/merge', element: <MergePage /> },
          { path: '/settings/custom-fields', element: <CustomFieldsPage /> },
          { path: '/settings/sso', element: <SsoSettingsPage /> },
          { path: '/settings/security', element: <SecurityPage /> },
          { path: '/settings/users', element: <UsersPage /> },
          { path: '/settings/roles', element: <RolesPage /> },
          { path: '/settings/roles/:key', element: <RoleDetailPage /> },
          { path: '/settings/teams', element: <TeamsPage /> },
          { path: '/settings/audit', element: <AuditPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
