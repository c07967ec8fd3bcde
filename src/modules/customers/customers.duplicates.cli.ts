// `rapport duplicates scan <object>`: runs a duplicate scan in this process with a progress bar
// (one step per blocking pass), for operators who want the queue filled now or on a schedule.
import cliProgress from 'cli-progress';
import type { Actor } from '../../platform/actor.js';
import type { DuplicateScan } from './customers.duplicates.schemas.js';
import type { DuplicateService } from './customers.duplicates.service.js';

export async function runDuplicateScanCommand(duplicates: DuplicateService, actor: Actor, object: 'contact' | 'company'): Promise<DuplicateScan> {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: 'scanning [{bar}] {percentage}% | {pairs} pairs', stream: process.stderr }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(100, 0, { pairs: 0 });
  try {
    return await duplicates.scanNow(actor, object, (scan) => bar?.update(Math.round(scan.progress * 100), { pairs: scan.pairsFound }));
  } finally {
    bar?.stop();
  }
}

export function describeScan(scan: DuplicateScan, objectName: string): string {
  if (scan.status !== 'completed') return `Scan ${scan.id} ${scan.status}${scan.error ? `: ${scan.error}` : ''}; run the command again to resume it.`;
  return `Scanned ${objectName}: ${scan.pairsFound} likely duplicate pair(s) in the review queue (scan ${scan.id}).`;
}
