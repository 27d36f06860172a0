import { MessageFactory, type TurnContext } from 'botbuilder';
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
import { QuestionId, type Knowledge, type Lang } from '../src/knowledge/schema';
import { isQuestionId, type Answers } from '../src/engine/types';
import type { Interpretation } from '../src/understand/interpretation';
import type { CardSubmit } from '../src/understand/submit';
import { pickFromMenu } from '../src/understand/menu';
import { say, type ConversationMessageId } from '../src/messages/conversation';
import { AnswerPrompt, type Question } from './answerPrompt';
import type { CaseEvents } from '../src/insights/events';
import type { HandoffWebhook } from '../src/handoff/webhook';
import type { FeedbackStore } from '../src/insights/feedback';
import { takeFeedback } from './feedback';
import { atPrompt, commandOfSubmit, peopleWindow, type AtPrompt } from './commands';
import type { ConversationMemory, MenuItem } from './memory';
import { listAnswers, type NamedAnswer, type Replies } from './replies';
import { NOTHING_SAID, readTurn, type Reader, type TurnReading } from './understood';
import { checkedOnce } from './checkedOnce';

export type { Question, QuestionChoice } from './answerPrompt';

/** What every dialog is built with (constructor injection; tests pass their own). */
export interface DialogDeps extends Reader {
  knowledge: Knowledge;
  memory: ConversationMemory;
  replies: Replies;
  /** The case's steps for trainers (src/insights/events.ts); none in most tests. */
  events?: CaseEvents;
  /** Where "Did this answer your question?" is kept (memory or its own Blob container); none in some tests. */
  feedback?: FeedbackStore;
  /** The support desk's webhook (SUPPORT_DESK_WEBHOOK_URL); none: "talk to a person" gets the partner support window. */
  handoff?: HandoffWebhook;
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
  /** Messages in a row that answered nothing: at the second, the menu and help instead of the same question. */
  misses: z.number().int().nonnegative().optional(),
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

/** A case's answers and their order, as a dialog sets them aside for a detour and takes them back after it. */
export interface CaseSoFar {
  answers: Answers;
  answered: QuestionId[];
}

/** The result a dialog ends with when the partner asks for a person (or accepts the offer): the case, to go on after. */
export interface PersonDetour {
  personDetour: { resumeCase?: CaseSoFar; offered?: boolean };
}
export const isPersonDetour = (result: unknown): result is PersonDetour =>
  typeof result === 'object' && result !== null && 'personDetour' in result;

/** Typed text that did not name an option: "2" picks the second option as the plain-text list numbers them. */
function numberPicked(reading: TurnReading, question: Question): string | undefined {
  const { understood } = reading;
  if (understood.kind !== 'text') return undefined;
  const index = pickFromMenu(
    understood.text,
    question.choices.map((choice) => choice.label),
  );
  return index === undefined ? undefined : question.choices[index].id;
}

const LOOP = 'loop';
const PROMPT = 'answer';

/**
 * A dialog that asks questions until it can answer, and that listens before each answer for what a person may say
 * at any prompt, in either language: help (what the bot does and what it is asking now, and why), start over,
 * back, change an earlier answer, cancel, a language switch, a pasted known error or the list of them, a severity
 * question, a general fact or a question that is not technical support, "not sure", or answers to other questions
 * (corrections included). What each does at a question is the `atPrompt` side of the command table (commands.ts).
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
        recognizeText: (context, question, answers) => this.answerTo(context, question, answers),
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
  /** Every slot the message fills ("Gold, cloud competency" answers two questions). */
  protected abstract answersIn(meaning: Interpretation): Record<string, string>;
  /** The option the turn's message names for this question. */
  protected abstract recognize(reading: TurnReading, question: Question): string | undefined;
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
  /** The question's and the option's names as the partner sees them ("Product family", "Azure"). */
  protected answerNames(_question: string, _option: string, _lang: Lang): NamedAnswer | undefined {
    return undefined;
  }
  /** The case on screen, to go on with after a hand-off to a person; none for the severity helper. */
  protected caseSoFar(_state: LoopState): CaseSoFar | undefined {
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
    this.deps.events?.record(step.context, { event: 'questionAsked', question: question.id });
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
    if (state.asking) {
      const lang = await this.deps.memory.language(step.context);
      const buttons = this.describeQuestion(state.asking, state, lang)?.choices;
      this.deps.events?.answered(step.context, state.asking, found.value, buttons);
      answer(state, state.asking, found.value);
    }
    state.misses = 0;
    // "Intune, CSP" at the program question after "Azure": the other answers named are taken too.
    const { understood } = await this.reading(step);
    if (understood.kind === 'text') this.takeAnswers(state, this.answersIn(understood.meaning), state.asking);
    return step.replaceDialog(LOOP);
  }

  /** The turn's message, read once against the question on screen. */
  private reading(innerDc: DialogContext): Promise<TurnReading> {
    const state = loopOf(innerDc);
    return this.readingAt(innerDc.context, state.asking, state.answers);
  }

  /**
   * The prompt may be first to read the message (it checks for its answer before the dialogs above it see the
   * message), so both read it against the same question and answers.
   */
  private readingAt(
    context: TurnContext,
    question: string | undefined,
    answers: Record<string, string>,
  ): Promise<TurnReading> {
    return readTurn(context, this.deps, {
      asking: isQuestionId(question) ? question : undefined,
      answers: this.answersSoFar({ answers, answered: [] }),
    });
  }

  /** The answers given so far, as the understanding reads them (case answers only). */
  protected answersSoFar(_state: LoopState): Answers | undefined {
    return undefined;
  }

  /** The option the message gives for the question on screen: named in words, or its number in the list. */
  private async answerTo(
    context: TurnContext,
    question: Question,
    answers: Record<string, string>,
  ): Promise<string | undefined> {
    return this.answerIn(await this.readingAt(context, question.id, answers), question);
  }

  private answerIn(reading: TurnReading, question: Question): string | undefined {
    return this.recognize(reading, question) ?? numberPicked(reading, question);
  }

  /** What may be said or pressed at any prompt, by the command table; undefined lets the prompt read an answer. */
  private async interruption(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const { context } = innerDc;
    if (context.activity.type !== 'message') return undefined;
    const reading = await this.reading(innerDc);
    const lang = await this.deps.memory.language(context);
    const prompt = this.promptAt(innerDc, reading, lang);
    const { understood } = reading;
    switch (understood.kind) {
      case 'submit': {
        const { submit } = understood;
        const command = commandOfSubmit(submit);
        if (command) return atPrompt(prompt, command);
        // "Did this answer your question?" on an earlier card: taken, and the question on screen again.
        if (submit.verb === 'feedback') {
          await takeFeedback(context, submit, this.deps, lang);
          return reprompt(innerDc);
        }
        // "Send it to the support desk?" answered already (or from an older message): nothing is sent.
        if (submit.verb === 'handoff') {
          await this.deps.replies.say(context, 'staleSubmit', lang);
          return reprompt(innerDc);
        }
        if (submit.verb === 'changeAnswer' && submit.question)
          return this.change(innerDc, submit.question, lang);
        // An answer or a severity card's choice: the prompt checks it belongs to the question on screen.
        return undefined;
      }
      case 'imageOnly':
        await this.deps.replies.say(context, 'textOnly', lang);
        return reprompt(innerDc);
      case 'text': {
        // An answer to the question on screen wins over a fact or a redirect its words also match
        // ("business hours only" is the 24x7 answer, not the business-hours fact).
        const { intent } = understood.meaning;
        const topic = intent.kind === 'fact' || intent.kind === 'redirect';
        const question = this.questionFor(loopOf(innerDc), lang);
        const answers = question && this.answerIn(reading, question) !== undefined;
        return atPrompt(prompt, topic && answers ? { kind: 'none' } : intent);
      }
      default:
        return undefined;
    }
  }

  /** What the command table may do at the question on screen, for this turn. */
  private promptAt(innerDc: DialogContext, reading: TurnReading, lang: Lang): AtPrompt {
    const { context } = innerDc;
    const { replies, memory } = this.deps;
    const prompt: AtPrompt = {
      context,
      lang,
      replies,
      meaning: reading.understood.kind === 'text' ? reading.understood.meaning : NOTHING_SAID,
      say: (id: ConversationMessageId, values?: Record<string, string | number>) =>
        replies.say(context, id, lang, values),
      offer: async (sent: Promise<MenuItem[]>) => memory.offerMenu(context, await sent),
      reprompt: () => reprompt(innerDc),
      handOff: () => handOff(innerDc),
      cancel: async () => {
        await replies.say(context, 'cancelled', lang);
        await innerDc.cancelAllDialogs();
        return { status: DialogTurnStatus.complete };
      },
      help: () => this.help(innerDc, lang),
      back: () => this.back(innerDc, lang),
      offerChange: () => this.offerChange(innerDc, lang),
      supportCase: () => this.supportCase(innerDc),
      severityHelper: () => this.severityHelp(innerDc, lang),
      switchLanguage: async (chosen) => {
        await memory.switchLanguage(context, chosen);
        await replies.say(context, 'languageSwitched', chosen);
        if (reading.understood.kind === 'text') {
          this.takeAnswers(loopOf(innerDc), this.answersIn(reading.understood.meaning), undefined);
        }
        return restartLoop(innerDc);
      },
      caseWords: () => this.caseWords(innerDc, reading, lang),
      goOn: async () => {
        const meaning = reading.understood.kind === 'text' ? reading.understood.meaning : NOTHING_SAID;
        return (await this.noteAnswers(innerDc, meaning, lang)) ?? reprompt(innerDc);
      },
      notSure: () => this.notSure(innerDc, lang),
      steps: async () => {
        await replies.say(context, 'stepsWithTheAnswer', lang);
        return reprompt(innerDc);
      },
      person: async () => {
        if (this.deps.handoff) return this.personDetour(innerDc, false);
        await peopleWindow(prompt);
        return reprompt(innerDc);
      },
    };
    return prompt;
  }

  /** Sets the case aside for the hand-off dialog (the main dialog runs it, then reopens the case). */
  private personDetour(innerDc: DialogContext, offered: boolean): Promise<DialogTurnResult> {
    const resumeCase = this.caseSoFar(loopOf(innerDc));
    return endWith(innerDc, { personDetour: { resumeCase, offered } } satisfies PersonDetour);
  }

  /**
   * Words at a question that are no command: its answer goes to the prompt; options only asked about are explained
   * and the question asked again; an earlier answer taken back is asked again; answers to other questions
   * (corrections included) are taken and noted; denied options and names the bot does not know are said back,
   * never taken. Anything else is a miss.
   */
  private async caseWords(
    innerDc: DialogContext,
    reading: TurnReading,
    lang: Lang,
  ): Promise<DialogTurnResult | undefined> {
    if (reading.understood.kind !== 'text') return undefined;
    const { meaning } = reading.understood;
    const { context } = innerDc;
    const { replies, memory } = this.deps;
    const state = loopOf(innerDc);
    if (meaning.severity) await memory.rememberSeverity(context, meaning.severity);
    const question = this.questionFor(state, lang);
    const answered = question && this.answerIn(reading, question);
    if (meaning.askedAbout.length > 0) {
      await replies.explainOptions(context, meaning.askedAbout, lang);
      if (answered === undefined) return reprompt(innerDc);
    }
    if (answered !== undefined) return undefined;

    // "Sorry, we're not Advisor" after answering Advisor: that answer goes, and is asked again (never kept).
    const withdrawn = meaning.withdrawn.find((slot) => slot in state.answers);
    if (withdrawn) {
      this.takeAnswers(state, this.answersIn(meaning), state.asking);
      return this.change(innerDc, withdrawn, lang);
    }
    const noted = await this.noteAnswers(innerDc, meaning, lang);
    if (noted) return noted;
    const denied = Object.entries(meaning.negated).flatMap(([slot, options]) =>
      (options ?? []).flatMap((option) => {
        const named = this.answerNames(slot, option, lang);
        return named ? [say('deniedAnswer', lang, { option: named.answer, question: named.question })] : [];
      }),
    );
    if (denied.length > 0) {
      await replies.say(context, 'notThat', lang, { answers: denied.join(', ') });
      return reprompt(innerDc);
    }
    if (meaning.unrecognised.length > 0) {
      await replies.say(context, 'notRecognised', lang, { names: meaning.unrecognised.join(', ') });
      return reprompt(innerDc);
    }
    if (meaning.severity) {
      await replies.say(context, 'severityNoted', lang);
      return reprompt(innerDc);
    }
    // "CSP" at the program question: not a miss, but which of the options it names?
    if (meaning.ambiguous && question) {
      await replies.say(context, 'ambiguousAnswer', lang);
      return reprompt(innerDc);
    }
    return this.miss(innerDc, lang);
  }

  /** Takes the answers the message gives to other questions and says so, then asks what is next; else undefined. */
  private async noteAnswers(
    innerDc: DialogContext,
    meaning: Interpretation,
    lang: Lang,
  ): Promise<DialogTurnResult | undefined> {
    const state = loopOf(innerDc);
    const taken = this.takeAnswers(state, this.answersIn(meaning), state.asking);
    if (taken.length === 0) return undefined;
    state.misses = 0;
    for (const [question, option] of taken) {
      const how = question in meaning.corrections ? 'corrected' : 'typed';
      this.deps.events?.record(innerDc.context, { event: 'answerTaken', question, option, how });
    }
    const noted = taken.flatMap(([slot, option]) => this.answerNames(slot, option, lang) ?? []);
    await this.deps.replies.say(innerDc.context, 'noted', lang, { answers: listAnswers(noted) });
    return restartLoop(innerDc);
  }

  /** Takes the answers a message names besides the one asked, new or changed; returns them. */
  private takeAnswers(
    state: LoopState,
    given: Record<string, string>,
    asking: string | undefined,
  ): [string, string][] {
    const { mustAsk } = state;
    const changed = Object.entries(given).filter(
      ([slot, option]) => slot !== asking && state.answers[slot] !== option,
    );
    for (const [slot] of changed) if (slot in state.answers) this.forget(state, slot);
    for (const [slot, option] of changed) answer(state, slot, option);
    state.mustAsk = mustAsk;
    return changed;
  }

  /**
   * A message that answered nothing. The first time the prompt says it did not catch that and asks again; the
   * second time in a row, the partner gets what the question means, what they can say, and the menu instead.
   */
  private async miss(innerDc: DialogContext, lang: Lang): Promise<DialogTurnResult | undefined> {
    const state = loopOf(innerDc);
    const { text } = innerDc.context.activity;
    this.deps.events?.record(innerDc.context, { event: 'notUnderstood', question: state.asking, text });
    state.misses = (state.misses ?? 0) + 1;
    if (state.misses < 2) return undefined;
    state.misses = 0;
    // A person may help better: the hand-off is offered, with the case set aside to go on after.
    if (this.deps.handoff) return this.personDetour(innerDc, true);
    const { context } = innerDc;
    const question = this.questionFor(state, lang);
    const lines = [
      say('twoMisses', lang),
      ...(question ? [say('helpAsking', lang, { prompt: question.prompt, why: question.why })] : []),
      say('commands', lang),
    ];
    await context.sendActivity(MessageFactory.text(lines.join('\n\n')));
    await this.deps.memory.offerMenu(context, await this.deps.replies.welcome(context, lang));
    return Dialog.EndOfTurn;
  }

  /** "Not sure" / "わからない": what the question means and what counts, then the question again (no guess). */
  private async notSure(innerDc: DialogContext, lang: Lang): Promise<DialogTurnResult> {
    const state = loopOf(innerDc);
    const question = this.questionFor(state, lang);
    state.misses = (state.misses ?? 0) + 1;
    if (state.misses >= 2 || !question) return (await this.miss(innerDc, lang)) ?? reprompt(innerDc);
    // What each choice means where the knowledge explains it ("Microsoft account: MSA, e.g. Outlook.com…").
    const options = question.choices
      .map((choice) => `- ${choice.label}${choice.explain ? `: ${choice.explain}` : ''}`)
      .join('\n');
    await this.deps.replies.say(innerDc.context, 'notSureAsking', lang, { why: question.why, options });
    return reprompt(innerDc);
  }

  /** "Support case" typed at a question: a new case (the case dialog stays in its own). */
  protected supportCase(innerDc: DialogContext): Promise<DialogTurnResult> {
    return handOff(innerDc);
  }

  /** "Which severity?" at a question: the case dialog sets itself aside for the helper; the helper asks again. */
  protected severityHelp(innerDc: DialogContext, _lang: Lang): Promise<DialogTurnResult> {
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

export function loopOf(innerDc: DialogContext): LoopState {
  const holder = ownState(innerDc);
  // A state that does not parse (an older shape) starts empty instead of failing the turn.
  if (!checkedOnce(LoopState, holder.loop)) holder.loop = { answers: {}, answered: [] };
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
  return endWith(innerDc, HANDOFF);
}

/** Ends the dialog at once with this result (its prompt and loop are closed). */
export async function endWith(innerDc: DialogContext, result: object): Promise<DialogTurnResult> {
  await innerDc.cancelAllDialogs();
  return { status: DialogTurnStatus.complete, result };
}
