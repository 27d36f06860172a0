import type { z } from 'zod';

/** Objects of this turn's loaded state that passed their schema (state is loaded afresh every turn). */
const passed = new WeakSet<object>();

/**
 * Checks a piece of loaded state against its schema the first time a turn reads it, not at every later read:
 * only the bot writes it after that, with values of the same shape. The dialogs read their state many times a
 * turn, and parsing it each time was most of a turn's zod time.
 */
export function checkedOnce<T>(schema: z.ZodType<T>, value: unknown): value is T {
  const isObject = typeof value === 'object' && value !== null;
  if (isObject && passed.has(value)) return true;
  if (!schema.safeParse(value).success) return false;
  if (isObject) passed.add(value);
  return true;
}
