import {
  ChoicePrompt,
  type Choice,
  type FoundChoice,
  type PromptOptions,
  type PromptRecognizerResult,
} from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Knowledge } from '../src/knowledge/schema';
import { parseCardSubmit, type CardSubmit } from '../src/understand/submit';

/** How the dialog that owns the prompt reads an answer besides the choice labels. */
export interface AnswerRecognizers {
  /** The option a typed message names for this question (synonyms from the knowledge data). */
  text(text: string, question: string): string | undefined;
  /** The option a card submit carries for this question. */
  submit(submit: CardSubmit, question: string): string | undefined;
}

/** Stored with the prompt (PromptOptions.validations): which question is on screen. */
const Asked = z.object({ question: z.string().min(1) });

/**
 * A ChoicePrompt that also accepts what ChoicePrompt cannot read: an Adaptive Card or messageBack submit
 * (`activity.value`, often with no text) and free text naming an option by a synonym, in either language.
 * A submit for another question (a stale or tampered button) is not recognised, so the prompt re-asks.
 */
export class AnswerPrompt extends ChoicePrompt {
  constructor(
    dialogId: string,
    private readonly knowledge: Knowledge,
    private readonly recognizers: AnswerRecognizers,
  ) {
    super(dialogId);
  }

  protected override async onRecognize(
    context: TurnContext,
    state: object,
    options: PromptOptions,
  ): Promise<PromptRecognizerResult<FoundChoice>> {
    const asked = Asked.safeParse(options.validations);
    if (!asked.success) return { succeeded: false };
    const { question } = asked.data;
    const choices = (options.choices ?? []).filter((choice): choice is Choice => typeof choice !== 'string');
    const pick = (option: string | undefined): PromptRecognizerResult<FoundChoice> => {
      const index = choices.findIndex((choice) => choice.value === option);
      return index === -1
        ? { succeeded: false }
        : { succeeded: true, value: { value: choices[index].value, index, score: 1 } };
    };

    const { value, text } = context.activity;
    if (value !== undefined) {
      const submit = parseCardSubmit(value, this.knowledge);
      return pick(submit && this.recognizers.submit(submit, question));
    }
    const typed = text?.trim();
    if (!typed) return { succeeded: false };
    const named = pick(this.recognizers.text(typed, question));
    return named.succeeded ? named : super.onRecognize(context, state, options);
  }
}
