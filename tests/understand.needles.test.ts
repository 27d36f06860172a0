import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getKnowledge } from '../src/knowledge/load';
import { foundIn, normalise, type NeedleList } from '../src/understand/normalise';
import { getPhrases } from '../src/understand/phrases';
import { vocabularyOf } from '../src/understand/vocabulary';
import { readCorpus } from '../scripts/eval/evaluate';

const corpus = [
  ...readCorpus(path.join(import.meta.dirname, 'understanding/corpus.yaml')),
  ...readCorpus(path.join(import.meta.dirname, 'understanding/heldout.yaml')),
];

// The dictionary reads a message once for all needle lists; a list searched needle by needle must find exactly
// the same places, in the same order, or the bot would read some message differently after a scan.
describe('NeedleDictionary', () => {
  const phrases = getPhrases();
  const { terms, dictionary } = vocabularyOf(getKnowledge(), phrases);
  const lists: [string, NeedleList][] = [
    ['answer terms', terms],
    ['negation before', phrases.negation.before],
    ['negation after', phrases.negation.after],
    ['question starts', phrases.questions.starts],
    ['corrections', phrases.corrections.instead],
    ['not sure', phrases.notSure],
  ];

  it.each(lists)(
    'finds the %s where searching needle by needle finds them, over every corpus message',
    (_, list) => {
      let found = 0;
      for (const { text } of corpus) {
        const plain = normalise(text);
        const scanned = dictionary.scan(plain);
        expect(foundIn(scanned, list), text).toEqual(foundIn(plain, list));
        found += foundIn(scanned, list).length;
      }
      expect(found).toBeGreaterThan(0);
    },
  );
});
