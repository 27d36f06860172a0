import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type FoundChoice,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { z } from 'zod';
import type { Knowledge, Lang, QuestionId } from '../src/knowledge/schema';
import { detectIntent, type Intent } from '../src/understand/intent';
import { pickFromMenu } from '../src/understand/menu';
import { parseCardSubmit, type CardSubmit } from '../src/understand/submit';
import { say } from '../src/messages/conversation';
import { AnswerPrompt, type Question } from './answerPrompt';
import type { ConversationMemory } from './memory';
import type { Replies } from './replies';

export type { Question, QuestionChoice } from './answerPrompt';

/** What every dialog is built with (constructor injection; tests pass their own). */
export interface DialogDeps {
  knowledge: Knowledge;
  memory: ConversationMemory;
  replies: Replies;
}

/** The dialog's own state: small on purpose (option ids only, never routes or cards). */
export const LoopState = z.object({
  answers: z.record(z.string(), z.string()),
  /** Slots in the order the user gave them, so "back" drops the latest. */
  answered: z.array(z.string()),
  /** The question on screen. */
  asking: z.string().optional(),
  /** A question the partner chose to change: asked again even where the engine would not need it. */
  mustAsk: z.string().optional(),
});
export type LoopState = z.infer<typeof LoopState>;

/** How a dialog may be begun besides its own options. */
export interface LoopOptions {
  /** "Back" after the card: the case reopens with its latest answer dropped and asked again. */
  back?: boolean;
  /** An answer the partner chose to change after the card: dropped and asked again first. */
  change?: string;
}

/** The result a dialog ends with when the user picks another topic mid-way: MainDialog handles that message afresh. */
export const HANDOFF = { handoff: true } as const;
export const isHandoff = (result: unknown): boolean =>
  typeof result === 'object' && result !== null && 'handoff' in result;

const LOOP = 'loop';
const PROMPT = 'answer';

/**
 * A dialog that asks questions until it can answer, and that listens before each answer for what a person may say
 * at any prompt, in either language: help (what the bot does and what it is asking now, and why), start over,
 * back, change an earlier answer, cancel, a language switch, a pasted known error or the list of them, a severity
 * question, a general fact or a question that is not technical support, or answers to other questions.
 *
 * Subclasses say what to ask next (`nextQuestion`) and how to read answers; the loop, the prompt (buttons that
 * fit each channel, card submits accepted) and the interruptions are here.
 */
export abstract class InterruptibleDialog<
  Result,
  Options extends LoopOptions,
> extends ComponentDialog<Options> {
  protected constructor(
    dialogId: string,
    protected readonly deps: DialogDeps,
  ) {
    super(dialogId);
    this.addDialog(
      new AnswerPrompt(PROMPT, deps.knowledge, deps.memory, {
        describe: async (context, question, answers) =>
          this.describeQuestion(question, { answers, answered: [] }, await deps.memory.language(context)),
        recognizeText: (text, question) => this.recognizeText(text, question),
        recognizeSubmit: (submit, question) => this.recognizeSubmit(submit, question),
        submitValue: (question, option) => this.submitValue(question, option),
      }),
    );
    this.addDialog(new WaterfallDialog(LOOP, [this.askStep.bind(this), this.recordStep.bind(this)]));
    this.initialDialogId = LOOP;
  }

  /** The next question that still matters, or undefined when the dialog can answer. No side effects. */
  protected abstract nextQuestion(state: LoopState, lang: Lang): Question | undefined;
  /** Any one question by id, for "change this answer"; undefined when it cannot be asked now. */
  protected abstract describeQuestion(id: string, state: LoopState, lang: Lang): Question | undefined;
  /** Sends the answer (a card) and returns the dialog's result. */
  protected abstract finish(context: TurnContext, state: LoopState, lang: Lang): Promise<Result>;
  /** The state to start from, given the options the dialog was begun with (answers pre-filled from free text). */
  protected abstract startState(options: Options | undefined): LoopState;
  /** Every slot a typed answer fills ("Gold, cloud competency" answers two questions), given the question asked. */
  protected abstract answersIn(text: string, asking?: string): Record<string, string>;
  /** The option a typed answer names for this question. */
  protected abstract recognizeText(text: string, question: string): string | undefined;
  /** The option a card submit carries for this question. */
  protected abstract recognizeSubmit(submit: CardSubmit, question: string): string | undefined;
  /** What a button for this option sends back (Teams channel buttons send values, not text). */
  protected abstract submitValue(question: string, option: string): Record<string, unknown>;
  /** The question to ask when the partner changes this answer (itself, unless it was never a question). */
  protected questionToChange(question: string, _state: LoopState): string {
    return question;
  }
  /** Answers that only make sense with this one (a product belongs to its family): dropped with it. */
  protected dependentAnswers(_question: string): string[] {
    return [];
  }
  /** "Product family: Azure", to confirm an answer taken from a typed message. */
  protected describeAnswer(_question: string, _option: string, _lang: Lang): string | undefined {
    return undefined;
  }
  /** The answers given so far that can be changed ("which one to change?"); none: "change" means back. */
  protected abstract answersToChange(state: LoopState, lang: Lang): { question: QuestionId; title: string }[];

  protected override async onBeginDialog(
    innerDc: DialogContext,
    options?: Options,
  ): Promise<DialogTurnResult> {
    const state = this.startState(options);
    if (options?.change) this.forget(state, options.change);
    if (options?.back) this.dropLastAnswer(state, await this.deps.memory.language(innerDc.context));
    ownState(innerDc).loop = state;
    return super.onBeginDialog(innerDc, options);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interruption(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = loopOf(step);
    const lang = await this.deps.memory.language(step.context);
    const question = this.questionFor(state, lang);
    if (!question) return step.endDialog(await this.finish(step.context, state, lang));
    state.asking = question.id;
    return step.prompt(
      PROMPT,
      AnswerPrompt.optionsFor({ question: question.id, answers: { ...state.answers } }),
    );
  }

  private questionFor(state: LoopState, lang: Lang): Question | undefined {
    const { mustAsk } = state;
    const changing = mustAsk !== undefined && !(mustAsk in state.answers);
    return (changing && this.describeQuestion(mustAsk, state, lang)) || this.nextQuestion(state, lang);
  }

  private async recordStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = loopOf(step);
    const found = step.result as FoundChoice;
    if (state.asking) answer(state, state.asking, found.value);
    const { text, value } = step.context.activity;
    // "Intune, CSP" at the program question after "Azure": the other answers named are taken too.
    if (value === undefined && text) this.takeAnswers(state, text, state.asking);
    return step.replaceDialog(LOOP);
  }

  /** Handles what may be said at any prompt; undefined lets the prompt read the message as an answer. */
  private async interruption(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const { context } = innerDc;
    const activity = context.activity;
    if (activity.type !== ActivityTypes.Message) return undefined;
    const lang = await this.deps.memory.language(context);
    const menu = await this.deps.memory.takeMenu(context);
    if (activity.value !== undefined) {
      const submit = parseCardSubmit(activity.value, this.deps.knowledge);
      return submit && this.onSubmit(innerDc, submit, lang);
    }
    const text = activity.text?.trim();
    if (!text) return undefined;
    // The list the last reply offered ("which answer do you want to change?"), picked by number or name.
    const picked = pickFromMenu(
      text,
      menu.map((item) => item.title),
    );
    const pickedSubmit =
      picked === undefined ? undefined : parseCardSubmit(menu[picked].value, this.deps.knowledge);
    if (pickedSubmit) return this.onSubmit(innerDc, pickedSubmit, lang);
    const intent = detectIntent(text, this.deps.knowledge);
    switch (intent.kind) {
      case 'help':
        return this.help(innerDc, lang);
      case 'startOver':
        return handOff(innerDc);
      case 'back':
        return this.back(innerDc, lang);
      case 'change':
        return this.offerChange(innerDc, lang);
      // Not an answer, but not a misunderstanding either: the question again, without "did not catch that".
      case 'greeting':
      case 'thanks':
        return reprompt(innerDc);
      case 'cancel':
        await this.deps.replies.say(context, 'cancelled', lang);
        await innerDc.cancelAllDialogs();
        return { status: DialogTurnStatus.complete };
      case 'switchLanguage':
        await this.deps.memory.switchLanguage(context, intent.lang);
        await this.deps.replies.say(context, 'languageSwitched', intent.lang);
        return restartLoop(innerDc);
      case 'knownError':
        await this.deps.replies.knownError(context, intent.id, lang);
        return reprompt(innerDc);
      case 'knownErrorMenu':
        await this.deps.replies.knownErrorMenu(context, lang);
        return reprompt(innerDc);
      case 'redirectMenu':
        await this.deps.replies.redirectMenu(context, lang);
        return reprompt(innerDc);
      case 'supportCase':
        return this.supportCase(innerDc);
      case 'severityHelp':
        return this.severityHelp(innerDc, lang);
      default:
        return this.notAnAnswer(innerDc, text, intent, lang);
    }
  }

  /**
   * A message that is not a command: an answer to the question on screen goes to the prompt; otherwise a fact or
   * a redirect is answered and the question asked again, and answers to other questions ("we are a CSP" while the
   * product is asked, "Azure" after "Microsoft 365") are taken. Anything else: the prompt asks again.
   */
  private async notAnAnswer(
    innerDc: DialogContext,
    text: string,
    intent: Extract<Intent, { kind: 'fact' | 'redirect' | 'none' }>,
    lang: Lang,
  ): Promise<DialogTurnResult | undefined> {
    const state = loopOf(innerDc);
    if (state.asking && this.recognizeText(text, state.asking) !== undefined) return undefined;
    switch (intent.kind) {
      case 'fact':
        await this.deps.replies.fact(innerDc.context, intent.id, lang);
        return reprompt(innerDc);
      case 'redirect':
        await this.deps.replies.redirect(innerDc.context, intent.id, lang);
        return reprompt(innerDc);
      case 'none': {
        const taken = this.takeAnswers(state, text, state.asking);
        if (taken.length === 0) return undefined;
        const noted = taken.flatMap(([slot, option]) => this.describeAnswer(slot, option, lang) ?? []);
        await this.deps.replies.say(innerDc.context, 'noted', lang, { answers: noted.join(', ') });
        return restartLoop(innerDc);
      }
    }
  }

  /** Takes the answers a message names besides the one asked, new or changed; returns them. */
  private takeAnswers(state: LoopState, text: string, asking: string | undefined): [string, string][] {
    const { mustAsk } = state;
    const given = Object.entries(this.answersIn(text, asking)).filter(
      ([slot, option]) => slot !== asking && state.answers[slot] !== option,
    );
    for (const [slot] of given) if (slot in state.answers) this.forget(state, slot);
    for (const [slot, option] of given) answer(state, slot, option);
    state.mustAsk = mustAsk;
    return given;
  }

  private async onSubmit(
    innerDc: DialogContext,
    submit: CardSubmit,
    lang: Lang,
  ): Promise<DialogTurnResult | undefined> {
    switch (submit.verb) {
      case 'start':
      case 'startOver':
        return handOff(innerDc);
      case 'changeAnswer':
        return submit.question
          ? this.change(innerDc, submit.question, lang)
          : this.offerChange(innerDc, lang);
      case 'knownError':
        await this.deps.replies.knownError(innerDc.context, submit.id, lang);
        return reprompt(innerDc);
      case 'redirect':
        await this.deps.replies.redirect(innerDc.context, submit.id, lang);
        return reprompt(innerDc);
      default:
        return undefined;
    }
  }

  /** "Support case" typed at a question: a new case (the case dialog stays in its own). */
  protected supportCase(innerDc: DialogContext): Promise<DialogTurnResult> {
    return handOff(innerDc);
  }

  /** "Which severity?" at a question: the helper would end this case, so the guideline now and the question again. */
  protected async severityHelp(innerDc: DialogContext, lang: Lang): Promise<DialogTurnResult> {
    await this.deps.replies.severityGuide(innerDc.context, lang);
    return reprompt(innerDc);
  }

  private async help(innerDc: DialogContext, lang: Lang): Promise<DialogTurnResult> {
    // The question on screen, worked out again from the answers (state keeps ids, not texts).
    const question = this.questionFor(loopOf(innerDc), lang);
    const asking = question
      ? say('helpAsking', lang, { prompt: question.prompt, why: question.why })
      : say('helpIdle', lang);
    await innerDc.context.sendActivity(
      MessageFactory.text([say('intro', lang), asking, say('commands', lang)].join('\n\n')),
    );
    return reprompt(innerDc);
  }

  private async back(innerDc: DialogContext, lang: Lang): Promise<DialogTurnResult> {
    if (!this.dropLastAnswer(loopOf(innerDc), lang)) {
      await this.deps.replies.say(innerDc.context, 'nothingToGoBackTo', lang);
      return reprompt(innerDc);
    }
    await this.deps.replies.say(innerDc.context, 'goingBack', lang);
    return restartLoop(innerDc);
  }

  /**
   * Drops the latest answer that answered a question of its own, with the answers given after it that were only
   * implied (the product "Azure" of "Azure"), and marks it to be asked again. False when there is none.
   */
  private dropLastAnswer(state: LoopState, lang: Lang): boolean {
    for (let index = state.answered.length - 1; index >= 0; index -= 1) {
      const slot = state.answered[index];
      const dropped = state.answered.slice(index);
      const answers = Object.fromEntries(
        Object.entries(state.answers).filter(([given]) => !dropped.includes(given)),
      );
      if (!this.describeQuestion(slot, { answers, answered: state.answered.slice(0, index) }, lang)) continue;
      for (const given of dropped) this.forget(state, given);
      state.mustAsk = slot;
      return true;
    }
    return false;
  }

  private async change(innerDc: DialogContext, question: string, lang: Lang): Promise<DialogTurnResult> {
    const state = loopOf(innerDc);
    const changing = this.answersToChange(state, lang).find((answer) => answer.question === question);
    if (!changing) return reprompt(innerDc);
    this.forget(state, question);
    await this.deps.replies.say(innerDc.context, 'changingAnswer', lang, { name: changing.title });
    return restartLoop(innerDc);
  }

  /** Drops an answer, and those that depend on it, and asks it again first. */
  private forget(state: LoopState, answer: string): void {
    const question = this.questionToChange(answer, state);
    for (const slot of [answer, question, ...this.dependentAnswers(question)]) {
      delete state.answers[slot];
      state.answered = state.answered.filter((given) => given !== slot);
    }
    state.mustAsk = question;
  }

  /** "Change an answer" without saying which: list the answers given so far, to press or type. */
  private async offerChange(innerDc: DialogContext, lang: Lang): Promise<DialogTurnResult> {
    const answers = this.answersToChange(loopOf(innerDc), lang);
    if (answers.length === 0) return this.back(innerDc, lang);
    const menu = await this.deps.replies.whichAnswer(innerDc.context, answers, lang);
    await this.deps.memory.offerMenu(innerDc.context, menu);
    return Dialog.EndOfTurn;
  }
}

function answer(state: LoopState, slot: string, option: string): void {
  state.answers[slot] = option;
  state.answered = [...state.answered.filter((given) => given !== slot), slot];
}

/** The component's own instance state (beside its inner dialog stack), reached from the inner context. */
function ownState(innerDc: DialogContext): Record<string, unknown> {
  const instance = innerDc.parent?.activeDialog;
  if (!instance) throw new Error('InterruptibleDialog: no active component instance');
  return instance.state as Record<string, unknown>;
}

function loopOf(innerDc: DialogContext): LoopState {
  const holder = ownState(innerDc);
  const parsed = LoopState.safeParse(holder.loop);
  // A state that does not parse (an older shape) starts empty instead of failing the turn.
  if (!parsed.success) holder.loop = { answers: {}, answered: [] };
  return holder.loop as LoopState;
}

export async function reprompt(innerDc: DialogContext): Promise<DialogTurnResult> {
  await innerDc.repromptDialog();
  return Dialog.EndOfTurn;
}

/** Ask again from the answers as they are now (after back, change or a language switch). */
async function restartLoop(innerDc: DialogContext): Promise<DialogTurnResult> {
  await innerDc.cancelAllDialogs();
  return innerDc.beginDialog(LOOP);
}

async function handOff(innerDc: DialogContext): Promise<DialogTurnResult> {
  await innerDc.cancelAllDialogs();
  return { status: DialogTurnStatus.complete, result: HANDOFF };
}
