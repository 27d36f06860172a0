import { InputHints, type Activity, type TurnContext } from 'botbuilder';
import {
  ChoicePrompt,
  type Choice,
  type FoundChoice,
  type PromptOptions,
  type PromptRecognizerResult,
} from 'botbuilder-dialogs';
import { z } from 'zod';
import type { Knowledge } from '../src/knowledge/schema';
import { answerButton, cardActivity, questionActivity, type RenderedCard } from '../src/cards';
import { say } from '../src/messages/conversation';
import { parseCardSubmit, type CardSubmit } from '../src/understand/submit';
import type { ConversationMemory } from './memory';
import { checkedOnce } from './checkedOnce';

export interface QuestionChoice {
  id: string;
  /** At most 20 characters, so Teams shows buttons (the knowledge file's loader checks its labels). */
  label: string;
  synonyms?: string[];
  /** What the option means, from the seed: said when the user is not sure which to choose. */
  explain?: string;
}

/** One question of a dialog, in the user's language. */
export interface Question {
  id: string;
  prompt: string;
  /** Why the answer matters; said when the user asks for help at this question. */
  why: string;
  choices: QuestionChoice[];
  /** Too many choices for buttons: the question goes out as this card (a drop-down) instead. */
  card?: RenderedCard;
}

/** What the dialog that owns the prompt knows about its questions. */
export interface AnswerSource {
  /** The question as it reads now, given the answers so far (the product list depends on the family). */
  describe(
    context: TurnContext,
    question: string,
    answers: Record<string, string>,
  ): Promise<Question | undefined>;
  /** The option the turn's typed message gives for this question (as the turn's one interpretation reads it). */
  recognizeText(
    context: TurnContext,
    question: Question,
    answers: Record<string, string>,
  ): Promise<string | undefined>;
  /** The option a card submit carries for this question. */
  recognizeSubmit(submit: CardSubmit, question: string): string | undefined;
  /** What a button for this option sends back (Teams channel buttons send values, not text). */
  submitValue(question: string, option: string): Record<string, unknown>;
}

/**
 * All the prompt keeps in dialog state (PromptOptions.validations): which question, and the answers it depends
 * on. The texts, buttons and cards are rendered when sent, so a conversation's state stays a few hundred bytes.
 */
export const Asked = z.object({ question: z.string().min(1), answers: z.record(z.string(), z.string()) });
export type Asked = z.infer<typeof Asked>;

/**
 * A ChoicePrompt that renders its question each time it is sent, with buttons that fit the client, and that
 * accepts what ChoicePrompt cannot read: an Adaptive Card or messageBack submit (`activity.value`, often with no
 * text) and free text as the turn's interpretation reads it (never ChoicePrompt's own word matching, which would
 * take "not Premier" as Premier). A submit for another question (a stale or tampered button) is not recognised,
 * so the prompt asks again.
 */
export class AnswerPrompt extends ChoicePrompt {
  constructor(
    dialogId: string,
    private readonly knowledge: Knowledge,
    private readonly memory: ConversationMemory,
    private readonly source: AnswerSource,
  ) {
    super(dialogId);
  }

  /** Prompt options for a question: nothing but the descriptor. */
  static optionsFor(asked: Asked): PromptOptions {
    return { validations: asked };
  }

  protected override async onPrompt(
    context: TurnContext,
    _state: object,
    options: PromptOptions,
    isRetry: boolean,
  ): Promise<void> {
    const question = await this.question(context, options);
    if (!question) return;
    const lang = await this.memory.language(context);
    const activity = this.render(context, question);
    if (isRetry) activity.text = [say('retryChoice', lang), activity.text].filter(Boolean).join('\n\n');
    await context.sendActivity(activity);
  }

  protected override async onRecognize(
    context: TurnContext,
    _state: object,
    options: PromptOptions,
  ): Promise<PromptRecognizerResult<FoundChoice>> {
    const question = await this.question(context, options);
    if (!question) return { succeeded: false };
    const choices = this.choices(context, question);
    const pick = (option: string | undefined): PromptRecognizerResult<FoundChoice> => {
      const index = choices.findIndex((choice) => choice.value === option);
      return index === -1
        ? { succeeded: false }
        : { succeeded: true, value: { value: choices[index].value, index, score: 1 } };
    };

    const { value, text } = context.activity;
    if (value !== undefined) {
      const submit = parseCardSubmit(value, this.knowledge);
      return pick(submit && this.source.recognizeSubmit(submit, question.id));
    }
    if (!text?.trim()) return { succeeded: false };
    const { answers } = options.validations as Asked; // checked by question() above
    return pick(await this.source.recognizeText(context, question, answers));
  }

  private async question(context: TurnContext, options: PromptOptions): Promise<Question | undefined> {
    const asked: unknown = options.validations;
    return checkedOnce(Asked, asked)
      ? this.source.describe(context, asked.question, asked.answers)
      : undefined;
  }

  /** Choices with the button each client shows (built in src/cards). */
  private choices(context: TurnContext, question: Question): Choice[] {
    return this.buttons(question).map((button, index) => ({
      value: question.choices[index].id,
      synonyms: question.choices[index].synonyms,
      action: answerButton(context.activity, button),
    }));
  }

  private buttons(question: Question) {
    return question.choices.map((choice) => ({
      title: choice.label,
      value: this.source.submitValue(question.id, choice.id),
    }));
  }

  private render(context: TurnContext, question: Question): Partial<Activity> {
    if (question.card) return cardActivity(question.card, context.activity.channelId);
    const activity = questionActivity(context.activity, question.prompt, this.buttons(question));
    activity.inputHint = InputHints.ExpectingInput;
    return activity;
  }
}
