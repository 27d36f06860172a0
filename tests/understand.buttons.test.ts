import { describe, expect, it } from 'vitest';
import type { Answers } from '../src/engine/types';
import { getKnowledge } from '../src/knowledge/load';
import { QuestionId, type Lang } from '../src/knowledge/schema';
import { interpret } from '../src/understand/interpretation';
import { interpretWithButtons } from '../src/understand/buttons';

const knowledge = getKnowledge();

/** Answers so far that differ from `option` at every question: where a reading could turn into a correction. */
function otherAnswers(asking: QuestionId, option: string): Answers {
  const answers: Record<string, string> = {};
  for (const slot of QuestionId.options) {
    const other = knowledge.questions[slot].options.find(
      (entry) => !(slot === asking && entry.id === option),
    );
    if (other) answers[slot] = other.id;
  }
  return answers as Answers;
}

const buttons = (['ja', 'en'] as Lang[]).flatMap((lang) =>
  QuestionId.options.flatMap((asking) =>
    knowledge.questions[asking].options.map((option) => ({
      lang,
      asking,
      option: option.id,
      text: option.label[lang],
    })),
  ),
);

describe('a button pressed at its own question (its label arrives as text)', () => {
  it('is read exactly as interpret() reads it, whatever the answers so far', () => {
    for (const { lang, asking, option, text } of buttons) {
      for (const answers of [undefined, otherAnswers(asking, option)]) {
        const context = { lang, asking, answers };
        expect(interpretWithButtons(text, context, knowledge), `${lang} ${asking} "${text}"`).toEqual(
          interpret(text, context, knowledge),
        );
      }
    }
  });

  it('is read once per bot, not once per message: the same frozen reading every time', () => {
    const context = { lang: 'en' as const, asking: 'program' as const };
    const reading = interpretWithButtons('Advisor', context, knowledge);
    expect(reading.answers).toEqual({ program: 'advisor' });
    expect(interpretWithButtons('Advisor', context, knowledge)).toBe(reading);
    expect(Object.isFrozen(reading.answers)).toBe(true);
    // typed text, and a label at another question, are read afresh
    expect(interpretWithButtons('We are an Advisor', context, knowledge)).not.toBe(
      interpretWithButtons('We are an Advisor', context, knowledge),
    );
  });
});
