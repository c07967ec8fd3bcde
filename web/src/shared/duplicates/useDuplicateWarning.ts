import { useState } from 'react';
import { useLocation } from 'react-router';
import type { DuplicateWarnings } from './duplicatesApi';

/**
 * The duplicate warning of the record on screen: from the create that navigated here (router
 * state), or from an edit saved on the page. Tied to the record id, so it does not follow the
 * user to another record.
 */
export function useDuplicateWarning(recordId: string) {
  const location = useLocation();
  const fromNavigation = (location.state as { warnings?: DuplicateWarnings; recordId?: string } | null) ?? null;
  const [warning, setWarning] = useState<{ recordId: string; warnings?: DuplicateWarnings } | null>(
    fromNavigation?.warnings ? { recordId: fromNavigation.recordId ?? recordId, warnings: fromNavigation.warnings } : null,
  );
  return {
    warnings: warning?.recordId === recordId ? warning.warnings : undefined,
    show: (saved: { id: string; warnings?: DuplicateWarnings }) => setWarning({ recordId: saved.id, warnings: saved.warnings }),
    clear: () => setWarning(null),
  };
}

/** Router state that carries a created record's warning to its page. */
export const warningState = (saved: { id: string; warnings?: DuplicateWarnings }) => ({ state: { recordId: saved.id, warnings: saved.warnings } });
