/**
 * Freezes a value shared between conversations (a cached card, a cached reading), so that a change in place
 * throws in the turn that makes it instead of reaching every other partner.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
