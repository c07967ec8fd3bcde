// The form of a uuid Rapport accepts wherever one arrives as text: the one PostgreSQL's uuid type
// reads, in either case. ajv-formats' `uuid` also takes `urn:uuid:…`, which PostgreSQL refuses.
export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
