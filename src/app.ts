// buildApp(config): the platform and the modules, wired by hand. Reading this file top to
// bottom tells which services exist, what each one depends on and which routes it serves.
import fs from 'node:fs';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { createCompanyService, createContactService, createMergeHooks, customerObjects, customerRoutes } from './modules/customers/index.js';
import {
  companyContactsMergeHook, createDuplicateService, createMergeService, createSearchProviders, createSearchService, customerSearchProviders,
  duplicateRoutes, mergeRoutes, registerDuplicateJobs, searchRoutes,
} from './modules/customers/index.js';
import { createImportRunner, createImportService, importRoutes, registerImportJobs } from './modules/customers/index.js';
import { createExportJobs, createExportService, exportRoutes } from './modules/customers/index.js';
import {
  createCustomFieldService, createSegmentService, createTagService, createViewService, customFieldRoutes, segmentRoutes, tagMergeHook, tagRoutes, viewRoutes,
} from './modules/customers/index.js';
import {
  accessRoutes, createAccessService, createIdentityService, createPermissionSource, createSingleSignOnService, identityRoutes, registerIdentityJobs, ssoRoutes, oidcClientSecretField,
} from './modules/identity/index.js';
import { createPasswordService, createSessionService, createTotpService, registerSignInSecurityJobs, signInSecurityRoutes, totpSecretField } from './modules/identity/index.js';
import { createAuthorization } from './platform/authorization/authorization.js';
import { auditRoutes } from './platform/change-log.routes.js';
import { createDatabase, type Database } from './platform/db.js';
import { registerEncryptionJobs } from './platform/encryption/encryption.jobs.js';
import { encryptionRoutes } from './platform/encryption/encryption.routes.js';
import { createFieldEncryption } from './platform/encryption/encryption.service.js';
import { createLocalKeyWrapper, loadMasterKey } from './platform/encryption/key-wrapper.js';
import { healthRoutes } from './platform/http/health.routes.js';
import { createHttpServer, serveWebApp, type App } from './platform/http/server.js';
import { createJobRunner } from './platform/jobs.js';
import { createMailer } from './platform/mail.js';
import { createMetrics } from './platform/metrics.js';
import { migrateToLatest } from './platform/migrations.js';

export const version: string = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'rapport' } });
}

export function openDatabase(config: Config, logger: Logger): Promise<Database> {
  logger.debug({ embedded: !config.databaseUrl }, 'opening database');
  return createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, poolIdleSeconds: config.databasePoolIdleSeconds });
}

export interface BuildOptions {
  logger?: Logger;
  /** An open database (tests pass one); otherwise one is opened from the config. */
  database?: Database;
  /** Serve only health and metrics (a worker process). */
  healthOnly?: boolean;
}

export async function buildApp(config: Config, options: BuildOptions = {}) {
  const logger = options.logger ?? createLogger(config);
  const masterKey = loadMasterKey(config);
  const database = options.database ?? await openDatabase(config, logger);
  try {
    await migrateToLatest(database);
  } catch (error) {
    if (!options.database) await database.close();
    throw error;
  }

  const metrics = createMetrics(database.poolStats);
  const identity = createIdentityService({ database, settings: config });
  // One decision point for record permissions; each module declares its objects to it.
  const authorization = createAuthorization(createPermissionSource({ database }));
  authorization.declare(...customerObjects);
  const access = createAccessService({ database, authorization, identity });
  const jobs = createJobRunner({ database, logger });
  const encryption = createFieldEncryption({
    database, keyWrapper: createLocalKeyWrapper(masterKey), jobs, onWorkspaceDeleted: () => identity.forgetAuthentications(),
  });
  const singleSignOn = createSingleSignOnService({ database, identity, encryption, publicUrl: config.publicUrl });
  encryption.registerField({ name: oidcClientSecretField, isSelectable: false, convertBatch: singleSignOn.oidc.rekeyBatch });
  const companies = createCompanyService({ database, authorization, encryption, onBatch: (size) => metrics.observeReadBatch('company', size) });
  const contacts = createContactService({ database, authorization, encryption, onBatch: (size) => metrics.observeReadBatch('contact', size) });
  // Records that point at a contact or company follow it into a merge through these hooks;
  // each module that owns such records registers one here.
  const mergeHooks = createMergeHooks();
  mergeHooks.register(tagMergeHook);
  mergeHooks.register(companyContactsMergeHook);
  const merges = createMergeService({ database, authorization, mergeHooks, contacts, companies });
  // Global search: each module whose records it finds registers a provider here.
  const searchProviders = createSearchProviders();
  for (const provider of customerSearchProviders({ encryption })) searchProviders.register(provider);
  const search = createSearchService({ database, authorization, providers: searchProviders });
  const duplicates = createDuplicateService({ database, authorization, encryption, jobs });
  registerDuplicateJobs(jobs, duplicates);
  const customFields = createCustomFieldService({ database, authorization, encryption });
  const exports = createExportService({ authorization, contacts, companies, customFields });
  const exportJobs = createExportJobs({ database, authorization, exports, jobs, dataDir: config.dataDir });
  const tags = createTagService({ database, authorization });
  const segments = createSegmentService({ database, authorization });
  const views = createViewService({ database, authorization });
  encryption.registerField({ name: 'contact.phone', convertBatch: contacts.convertPhoneBatch });
  // Custom fields marked sensitive are sealed by their definition; rotation re-keys them.
  for (const object of ['contact', 'company']) {
    encryption.registerField({ name: `${object}.customFields`, isSelectable: false, convertBatch: (...batch) => customFields.rekeyBatch(object, ...batch) });
  }
  registerEncryptionJobs(jobs, encryption);
  const importRunner = createImportRunner({ database, authorization, encryption });
  const imports = createImportService({ database, authorization, jobs, runner: importRunner, dataDir: config.dataDir });
  registerImportJobs(jobs, { runner: importRunner, database, authorization });
  registerIdentityJobs(jobs, identity);
  const mailer = createMailer(config);
  const passwords = createPasswordService({ database, identity, jobs, mailer });
  const totp = createTotpService({ database, identity, encryption });
  encryption.registerField({ name: totpSecretField, isSelectable: false, convertBatch: totp.rekeyBatch });
  const sessions = createSessionService({ database, identity });
  registerSignInSecurityJobs(jobs, { identity, passwords });

  const app: App = await createHttpServer({ config, logger, metrics, authenticator: identity.authenticator, version });
  healthRoutes(app, { database, metrics });
  if (!options.healthOnly) {
    await app.register(async (api) => {
      const scope = api as unknown as App;
      identityRoutes(scope, { identity, cookieSecure: config.cookieSecure });
      signInSecurityRoutes(scope, { passwords, totp, sessions, cookieSecure: config.cookieSecure, publicUrl: config.publicUrl, port: config.port });
      ssoRoutes(scope, { sso: singleSignOn, cookieSecure: config.cookieSecure });
      accessRoutes(scope, { access });
      customerRoutes(scope, { companies, contacts });
      searchRoutes(scope, { search });
      duplicateRoutes(scope, { duplicates });
      mergeRoutes(scope, { merges });
      await importRoutes(scope, { imports });
      exportRoutes(scope, { exports, exportJobs });
      customFieldRoutes(scope, { customFields });
      tagRoutes(scope, { tags });
      segmentRoutes(scope, { segments, contacts, companies });
      viewRoutes(scope, { views });
      auditRoutes(scope, { database, authorization });
      encryptionRoutes(scope, { encryption });
    }, { prefix: '/api/v1' });
    await serveWebApp(app, config.webDistDir);
  }
  await app.ready();

  return {
    app,
    database,
    jobs,
    logger,
    services: { identity, access, companies, contacts, encryption, mergeHooks, searchProviders, search, duplicates, merges, imports, exports, customFields, tags, segments, views },
    authorization,
    async close() {
      await app.close();
      await jobs.stop();
      mailer.close();
      if (!options.database) await database.close();
    },
  };
}

export type Rapport = Awaited<ReturnType<typeof buildApp>>;
