// Companies and the people who work there: lists, detail pages with history, create/edit forms.
export { CompaniesPage } from './CompaniesPage';
export { CompanyDetailPage } from './CompanyDetailPage';
export { ContactsPage } from './ContactsPage';
export { ContactDetailPage } from './ContactDetailPage';
