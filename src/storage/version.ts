import { createHash } from 'node:crypto';
import { DialogContainer, type Dialog } from 'botbuilder-dialogs';
import { z } from 'zod';

/** Where the version sits in conversation state: beside the dialog stack it describes. */
export const STATE_VERSION_PROPERTY = 'stateVersion';

export interface DialogStateShape {
  /** The dialogs at the root of the stack; every dialog inside them counts, with its step count (getVersion). */
  dialogs: readonly Dialog[];
  /** The schema of what dialogs keep in their state, e.g. the engine's Answers. */
  answers: z.ZodType;
  /** Bump by hand for changes the two above cannot see, such as reordered waterfall steps. */
  revision?: number;
}

/** "id" or "id:steps" of the root dialogs and of every dialog inside them, in a stable order. */
function dialogVersions(roots: readonly Dialog[]): string[] {
  const versions = new Set<string>();
  const visit = (dialog: Dialog) => {
    versions.add(dialog.getVersion());
    if (dialog instanceof DialogContainer) dialog.dialogs.getDialogs().forEach(visit);
  };
  roots.forEach(visit);
  return [...versions].sort();
}

/**
 * A short fingerprint of everything a saved dialog stack depends on. A deploy that renames, removes or reshapes a
 * dialog or changes the answer schema changes it, and conversations saved before restart politely instead of
 * crashing or resuming at the wrong step.
 */
export function stateVersionOf(shape: DialogStateShape): string {
  const fingerprint = JSON.stringify({
    dialogs: dialogVersions(shape.dialogs),
    answers: z.toJSONSchema(shape.answers),
    revision: shape.revision ?? 0,
  });
  return createHash('sha256').update(fingerprint).digest('hex').slice(0, 12);
}

/** A saved state belongs to another version: stamped with a different one, or saved before versioning existed. */
export function isOutdated(state: Record<string, unknown>, current: string): boolean {
  const saved = state[STATE_VERSION_PROPERTY];
  if (saved !== undefined) return saved !== current;
  return Object.keys(state).some((key) => key !== 'eTag');
}

/** DialogContext's errors when a saved stack names a dialog this deploy no longer has. */
const UNKNOWN_DIALOG = /dialog with an id of '.*' wasn't found|Can't find a dialog with an id of/;

export function isUnknownDialog(error: unknown): boolean {
  return error instanceof Error && UNKNOWN_DIALOG.test(error.message);
}
