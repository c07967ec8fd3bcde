// Duplicate scans and the review queue. A scan is a job: each blocking pass commits its pairs
// and its progress in one transaction, so a crashed or retried job resumes after the last pass
// it finished, and rerunning a pass changes nothing it already stored.
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../platform/actor.js';
import { PermissionDeniedError, type Authorization } from '../../platform/authorization/authorization.js';
import { appendChange } from '../../platform/change-log.js';
import type { Database, Trx } from '../../platform/db.js';
import type { FieldEncryption } from '../../platform/encryption/encryption.service.js';
import { NotFoundError } from '../../platform/errors.js';
import type { JobRunner } from '../../platform/jobs.js';
import { encodeCursor } from '../../platform/keyset.js';
import { phoneField } from './contacts.service.js';
import { duplicateQueueRepository as queue, type PairRow, type ScanRow } from './customers.duplicates.queue.js';
import { runScanPhase, scanPhases, type ScanObject } from './customers.duplicates.scan.js';
import type { DuplicateListQuery, DuplicatePair, DuplicateScan } from './customers.duplicates.schemas.js';

export const scanJob = 'customers.duplicate-scan';

function toScan(row: ScanRow): DuplicateScan {
  return {
    id: row.id, object: row.object, status: row.status, progress: row.phaseCount ? row.phasesDone.length / row.phaseCount : 1,
    phasesDone: row.phasesDone, pairsFound: row.pairsFound, error: row.error,
    createdAt: row.createdAt.toISOString(), finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export function createDuplicateService({ database, authorization, encryption, jobs }: {
  database: Database; authorization: Authorization; encryption: FieldEncryption; jobs: JobRunner;
}) {
  /** The queue is for admins and whoever may update the object (they are the ones who merge). */
  async function permissionsFor(actor: Actor, object: ScanObject) {
    const permissions = await authorization.of(actor);
    permissions.assertCan('update', object);
    return permissions;
  }

  async function toPair(trx: Trx, tenantId: string, row: PairRow, hidden: string[]): Promise<DuplicatePair> {
    const phone = async (value: string | null) => (value !== null && row.object === 'contact' ? encryption.decrypt(trx, tenantId, phoneField, value) : value);
    const side = async (id: string, name: string, email: string | null, phoneValue: string | null, detail: string | null) => ({
      id, name, detail,
      ...(hidden.includes('email') ? {} : { email }),
      ...(hidden.includes('phone') ? {} : { phone: await phone(phoneValue) }),
    });
    return {
      id: row.id, object: row.object, score: Number(row.score), reasons: row.reasons as DuplicatePair['reasons'], status: row.status,
      records: [
        await side(row.recordA, row.aName, row.aEmail, row.aPhone, row.aDetail),
        await side(row.recordB, row.bName, row.bEmail, row.bPhone, row.bDetail),
      ],
    };
  }

  async function runPhases(scan: ScanRow, onProgress?: (scan: DuplicateScan) => void) {
    for (const phase of scanPhases(scan.object)) {
      if (scan.phasesDone.includes(phase)) continue;
      const row = await database.forTenant(scan.tenantId, async (trx) => {
        await runScanPhase(trx, scan, phase);
        await queue.updateScan(trx, scan.tenantId, scan.id, { phaseDone: phase });
        return queue.findScan(trx, scan.tenantId, scan.id);
      });
      if (row) onProgress?.(toScan(row));
    }
  }

  /** The scan under way for the object, or a new queued one (isNew) recorded in the change log. */
  async function openScan(actor: Actor, object: ScanObject) {
    await permissionsFor(actor, object);
    return database.forTenant(actor.tenantId, async (trx) => {
      await queue.lockScanStart(trx, actor.tenantId, object);
      const active = await queue.findActiveScan(trx, actor.tenantId, object);
      if (active) return { row: active, isNew: false };
      const id = uuidv7();
      await queue.insertScan(trx, { tenantId: actor.tenantId, id, object, phaseCount: scanPhases(object).length, startedBy: actor.userId });
      await appendChange(trx, actor, { entity: 'duplicate_scan', entityId: id, operation: 'create', after: { object } });
      return { row: (await queue.findScan(trx, actor.tenantId, id))!, isNew: true };
    });
  }

  /** The job's work; also run in-process by the CLI. Resumes after the passes already finished. */
  async function runScan(tenantId: string, scanId: string, onProgress?: (scan: DuplicateScan) => void): Promise<void> {
    const scan = await database.forTenant(tenantId, async (trx) => {
      const row = await queue.findScan(trx, tenantId, scanId, { forUpdate: true });
      if (!row || row.status === 'completed') return undefined;
      await queue.updateScan(trx, tenantId, scanId, { status: 'running', error: null });
      return row;
    });
    if (!scan) return;
    try {
      await runPhases(scan, onProgress);
      await database.forTenant(tenantId, (trx) => queue.updateScan(trx, tenantId, scanId, { status: 'completed', finished: true }));
    } catch (error) {
      await database.forTenant(tenantId, (trx) => queue.updateScan(trx, tenantId, scanId, { status: 'failed', error: (error as Error).message }));
      throw error;
    }
  }

  return {
    async startScan(actor: Actor, object: ScanObject): Promise<DuplicateScan> {
      // One scan per object at a time: asking again answers the scan already under way.
      const scan = await openScan(actor, object);
      if (scan.isNew) await jobs.send(scanJob, { tenantId: actor.tenantId, scanId: scan.row.id });
      return toScan(scan.row);
    },

    /** `rapport duplicates scan`: the same scan, run here and now rather than by a worker. */
    async scanNow(actor: Actor, object: ScanObject, onProgress?: (scan: DuplicateScan) => void): Promise<DuplicateScan> {
      const { row } = await openScan(actor, object);
      await runScan(actor.tenantId, row.id, onProgress);
      const finished = await database.readTenant(actor.tenantId, (trx) => queue.findScan(trx, actor.tenantId, row.id));
      return toScan(finished!);
    },

    async getScan(actor: Actor, id: string): Promise<DuplicateScan> {
      const row = await database.readTenant(actor.tenantId, (trx) => queue.findScan(trx, actor.tenantId, id));
      if (!row) throw new NotFoundError('duplicate_scan', id);
      await permissionsFor(actor, row.object);
      return toScan(row);
    },

    runScan,

    async listPairs(actor: Actor, query: DuplicateListQuery): Promise<{ items: DuplicatePair[]; nextCursor: string | null }> {
      const permissions = await permissionsFor(actor, query.object);
      const limit = query.limit ?? 50;
      return database.readTenant(actor.tenantId, async (trx) => {
        const rows = await queue.listPairs(trx, {
          tenantId: actor.tenantId, object: query.object, status: query.status ?? 'open', owners: permissions.ownerFilter('read', query.object), limit, cursor: query.cursor,
        });
        const page = rows.slice(0, limit);
        const hidden = permissions.hiddenFields(query.object);
        const items = await Promise.all(page.map((row) => toPair(trx, actor.tenantId, row, hidden)));
        const last = page[page.length - 1];
        return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.score, last.id) : null };
      });
    },

    async dismiss(actor: Actor, id: string): Promise<void> {
      const permissions = await authorization.of(actor);
      await database.forTenant(actor.tenantId, async (trx) => {
        const pair = await queue.findPair(trx, actor.tenantId, id);
        const object = pair?.object ?? 'contact';
        const inScope = pair && await queue.arePairRecordsInScope(trx, actor.tenantId, object, [pair.recordA, pair.recordB], permissions.ownerFilter('read', object));
        if (!pair || !inScope) throw new NotFoundError('duplicate', id);
        if (!permissions.can('update', object)) throw new PermissionDeniedError('update', object);
        if (pair.status === 'dismissed') return;
        await queue.setPairStatus(trx, actor.tenantId, id, 'dismissed');
        await appendChange(trx, actor, { entity: 'duplicate_pair', entityId: id, operation: 'update', before: { status: pair.status }, after: { status: 'dismissed' } });
      });
    },
  };
}

export type DuplicateService = ReturnType<typeof createDuplicateService>;

export function registerDuplicateJobs(jobs: JobRunner, duplicates: DuplicateService) {
  jobs.define<{ tenantId: string; scanId: string }>({
    name: scanJob,
    retry: { limit: 3, delaySeconds: 5 },
    run: ({ tenantId, scanId }) => duplicates.runScan(tenantId, scanId),
  });
}
