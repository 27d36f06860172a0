/**
 * `npm run eval:understanding [-- --corpus file] [-- --misses]`: how well the bot understands the labelled messages:
 * accuracy per slot and per intent, a confusion table of the intents it got wrong, the other fields of the
 * interpretation, and the time per message. By default two sets, reported apart: the tuning corpus
 * (tests/understanding/corpus.yaml) and the held-out set (heldout.yaml beside it), which is never tuned against.
 */
import path from 'node:path';
import { getKnowledge } from '../../src/knowledge/load';
import { evaluate, median, percent, readCorpus, slotAccuracy, type Miss } from './evaluate';

const args = process.argv.slice(2);
const corpusAt = args.indexOf('--corpus');
const here = path.join(import.meta.dirname, '../../tests/understanding');
const sets: [string, string][] =
  corpusAt >= 0
    ? [['', path.resolve(args[corpusAt + 1])]]
    : [
        ['tuning corpus', path.join(here, 'corpus.yaml')],
        ['held-out set (never tuned against)', path.join(here, 'heldout.yaml')],
      ];
console.log(sets.map(([name, file]) => report(name, file)).join('\n\n' + '='.repeat(80) + '\n\n'));

function report(name: string, file: string): string {
  const corpus = readCorpus(file);
  const evaluation = evaluate(corpus, getKnowledge());
  // Measured again on a warm process: the first pass above also builds the vocabularies.
  const timed = evaluate(corpus, getKnowledge()).timings;

  const pct = (score: { correct: number; total: number }) =>
    `${percent(score).toFixed(1).padStart(5)} % (${score.correct}/${score.total})`;
  const out: string[] = [
    `${name ? `${name}: ` : ''}${path.relative(process.cwd(), file)}, ${evaluation.messages} messages`,
    '',
  ];
  out.push(`intent accuracy: ${pct(evaluation.intent)}   (target >= 95 %)`);
  out.push(
    `slot accuracy:   ${pct(slotAccuracy(evaluation))}   (target >= 97 %; per slot, messages where the label or the bot names it)`,
  );
  for (const [slot, score] of Object.entries(evaluation.slots))
    out.push(`  ${slot.padEnd(14)} ${pct(score)}`);
  out.push('', 'other fields (exact per message, where the label or the bot has one):');
  for (const [field, score] of Object.entries(evaluation.fields))
    out.push(`  ${field.padEnd(14)} ${pct(score)}`);
  const { language } = evaluation;
  out.push(
    `  language       ${language.correct} right, ${language.wrong} wrong, ${language.undecided} left undecided`,
  );

  const totals = new Map<string, number>();
  for (const entry of corpus) totals.set(entry.intent, (totals.get(entry.intent) ?? 0) + 1);
  out.push('', 'accuracy per intent:');
  for (const [intent, total] of [...totals].sort((a, b) => b[1] - a[1])) {
    const missed = evaluation.intent.misses.filter((miss) => miss.expected === intent).length;
    out.push(`  ${intent.padEnd(40)} ${pct({ correct: total - missed, total })}`);
  }
  const tags = [...new Set(corpus.flatMap((entry) => entry.tags ?? []))].sort();
  out.push('', 'per kind (tag): intent / answers named');
  for (const tag of tags) {
    const kind = evaluate(
      corpus.filter((entry) => entry.tags?.includes(tag)),
      getKnowledge(),
    );
    out.push(`  ${tag.padEnd(14)} ${pct(kind.intent)}   ${pct(slotAccuracy(kind))}`);
  }
  out.push('', 'confusion (expected → got: count), misses only:');
  for (const [expected, row] of evaluation.confusion) {
    out.push(`  ${expected} → ${[...row].map(([got, count]) => `${got}: ${count}`).join(', ')}`);
  }
  out.push('', `safety: ${evaluation.unsafe.length} denied or asked-about options taken as answers`);
  const show = (miss: Miss) =>
    `  ${miss.asking ? `[${miss.asking}] ` : ''}${miss.text}  — expected ${miss.expected}, got ${miss.got}`;
  out.push(...evaluation.unsafe.map(show));
  out.push(
    '',
    `speed: median ${(median(timed) * 1000).toFixed(0)} µs, p95 ${(timed[Math.floor(timed.length * 0.95)] * 1000).toFixed(0)} µs per message`,
  );
  if (args.includes('--misses')) {
    out.push('', 'intent misses:', ...evaluation.intent.misses.map(show));
    out.push('', 'slot misses:', ...evaluation.slotMisses.map(show));
    out.push('', 'language misses:', ...evaluation.language.misses.map(show));
  }
  return out.join('\n');
}
