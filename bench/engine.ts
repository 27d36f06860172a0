import { route } from '../src/engine/route';
import { everyCombination } from '../src/engine/space';
import { getKnowledge } from '../src/knowledge/load';
import type { Lang } from '../src/knowledge/schema';

export interface EngineResult {
  combinations: number;
  calls: number;
  seconds: number;
  routesPerSecond: number;
  /** How the calls ended: ask / route / notEligible. */
  outcomes: Record<string, number>;
}

/** route() over every answer combination (both languages in turn) for `minSeconds`. */
export function benchEngine(minSeconds = 3): EngineResult {
  const knowledge = getKnowledge();
  const combinations = everyCombination();
  const langs: Lang[] = ['ja', 'en'];
  const outcomes: Record<string, number> = {};
  // one pass to warm the JIT and count outcomes
  for (const answers of combinations) {
    const kind = route(answers, 'en', knowledge).kind;
    outcomes[kind] = (outcomes[kind] ?? 0) + 1;
  }
  // cycle through every combination, alternating languages, until the time is up
  let calls = 0;
  const started = performance.now();
  const deadline = started + minSeconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 1000; i++, calls++) {
      const answers = combinations[calls % combinations.length];
      route(answers, langs[Math.floor(calls / combinations.length) % 2], knowledge);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { combinations: combinations.length, calls, seconds, routesPerSecond: calls / seconds, outcomes };
}
