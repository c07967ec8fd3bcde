// Merge hooks: how records that point at a contact or company follow it into a merge.
// Each owner of such records (tags here; activities, deals and tickets in their modules)
// registers one hook at wiring time; the merge runs every hook inside its transaction, and
// an undo hands each hook back the note it returned so it can put its rows back.
import type { Actor } from '../../platform/actor.js';
import type { Trx } from '../../platform/db.js';

export type MergeableObject = 'contact' | 'company';

export interface MergeContext {
  trx: Trx;
  actor: Actor;
  object: MergeableObject;
  survivorId: string;
  mergedIds: string[];
}

export interface MergeHook {
  /** Stable name, stored with the merge so an undo finds the same hook. */
  name: string;
  /** Moves this hook's rows from the merged records to the survivor; returns what undo needs (JSON). */
  repoint(context: MergeContext): Promise<{ moved: number; undo: unknown }>;
  /** Puts the rows back as they were before the merge, from the note `repoint` returned. */
  restore(context: MergeContext, undo: unknown): Promise<void>;
}

export interface MergeHooks {
  register(hook: MergeHook): void;
  list(): readonly MergeHook[];
  find(name: string): MergeHook | undefined;
}

export function createMergeHooks(): MergeHooks {
  const hooks = new Map<string, MergeHook>();
  return {
    register(hook) {
      if (hooks.has(hook.name)) throw new Error(`A merge hook named ${hook.name} is already registered`);
      hooks.set(hook.name, hook);
    },
    list: () => [...hooks.values()],
    find: (name) => hooks.get(name),
  };
}
