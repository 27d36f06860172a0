import type { Knowledge } from '../knowledge/schema';
import type { CompiledPhrases } from './phrases';

/** Messages remembered per knowledge file and phrase set; bounded so odd input cannot grow memory. */
const MAX_REMEMBERED = 256;

/**
 * Remembers a pure function of (knowledge, phrases, message): one turn understands the same message several times
 * (main dialog, interruption check, answer prompt), and partners send the same few words and buttons.
 * Callers get a shallow copy each time, so changing a result never changes what is remembered.
 */
export function remembered<T extends object>(): (
  knowledge: Knowledge,
  phrases: CompiledPhrases,
  key: string,
  understand: () => T,
) => T {
  const byKnowledge = new WeakMap<Knowledge, WeakMap<CompiledPhrases, Map<string, T>>>();
  return (knowledge, phrases, key, understand) => {
    let byPhrases = byKnowledge.get(knowledge);
    if (!byPhrases) byKnowledge.set(knowledge, (byPhrases = new WeakMap()));
    let results = byPhrases.get(phrases);
    if (!results) byPhrases.set(phrases, (results = new Map()));
    let result = results.get(key);
    if (result === undefined) {
      result = understand();
      // oldest first out
      if (results.size >= MAX_REMEMBERED) results.delete(results.keys().next().value!);
      results.set(key, result);
    }
    return { ...result };
  };
}
