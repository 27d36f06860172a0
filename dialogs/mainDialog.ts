import type { TurnContext } from 'botbuilder';
import {
  WaterfallDialog,
  type Dialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { z } from 'zod';
import { QuestionId, type Lang } from '../src/knowledge/schema';
import { Answers } from '../src/engine/types';
import { answersToChange } from '../src/cards';
import type { Interpretation } from '../src/understand/interpretation';
import type { CardSubmit } from '../src/understand/submit';
import { say, type ConversationMessageId } from '../src/messages/conversation';
import { CaseDialog, isSeverityDetour, type CaseOptions, type CaseResult } from './caseDialog';
import { SeverityDialog, type SeverityOptions } from './severityDialog';
import { isHandoff, isPersonDetour, type DialogDeps } from './interruptible';
import { atRest, commandOfSubmit, peopleWindow, type AtRest } from './commands';
import { HandoffDialog, isPersonAsked, type HandoffOptions } from './handoffDialog';
import { takeFeedback } from './feedback';
import { NOTHING_SAID, readTurn } from './understood';
import type { MenuItem } from './memory';

/**
 * The opening of every exchange: reads what the partner said or pressed (once, see understood.ts) and does what
 * the command table says at rest — a support case (pre-filled from their words), the fix for a pasted known error,
 * the severity helper, the right place for questions that are not technical support, or a fact. Runs again for
 * each new exchange, so everything stays reachable later in the same conversation.
 *
 * A waterfall at the root of the dialog stack, with the dialogs it begins beside it in the same DialogSet
 * (`dialogsAtRoot`): wrapped in a component, every turn would build one more dialog context and pass one more layer.
 */
export class MainDialog extends WaterfallDialog {
  static readonly id = 'main';
  /** This dialog and the dialogs it begins: the one list a DialogSet at the root of the stack needs. */
  readonly dialogsAtRoot: readonly Dialog[];

  constructor(
    private readonly deps: DialogDeps,
    caseDialog: CaseDialog,
    severityDialog: SeverityDialog,
  ) {
    super(MainDialog.id);
    this.dialogsAtRoot = [this, caseDialog, severityDialog, new HandoffDialog(deps)];
    this.addStep(this.openStep.bind(this));
    this.addStep(this.closeStep.bind(this));
  }

  private async openStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const { memory } = this.deps;
    // A new exchange begins with no options (the waterfall makes them {}); a detour back into the case has some.
    const detour = isEmpty(step.options) ? undefined : DetourOptions.safeParse(step.options);
    if (detour?.success) return this.detour(step, detour.data);
    // Read against the last case, so "actually we are an advisor" after its card is a correction of it.
    const last = await memory.lastCaseOf(context);
    const { understood, offeredCase } = await readTurn(context, this.deps, { answers: last?.answers });
    const lang = await memory.language(context);
    const meaning = understood.kind === 'text' ? understood.meaning : NOTHING_SAID;
    const rest = this.restAt(step, lang, meaning, offeredCase);
    switch (understood.kind) {
      case 'submit':
        return this.onSubmit(step, rest, understood.submit, lang);
      case 'staleSubmit':
        await rest.say('staleSubmit');
        return rest.welcome();
      case 'imageOnly':
        await rest.say('textOnly');
        return rest.end();
      case 'empty':
        return context.activity.type === 'message' ? rest.welcome() : rest.end();
      case 'text':
        return atRest(rest, meaning.intent);
    }
  }

  /** What the command table may do with no question open, for this turn. */
  private restAt(
    step: WaterfallStepContext,
    lang: Lang,
    meaning: Interpretation,
    offeredCase: Answers | undefined,
  ): AtRest {
    const { context } = step;
    const { memory, replies } = this.deps;
    const end = () => step.endDialog();
    const sayIt = (id: ConversationMessageId, values?: Record<string, string | number>) =>
      replies.say(context, id, lang, values);
    const offer = (sent: Promise<MenuItem[]>) => this.offer(context, sent);
    const rest: AtRest = {
      context,
      lang,
      replies,
      meaning,
      say: sayIt,
      offer,
      end,
      welcome: async () => {
        await offer(replies.welcome(context, lang));
        return end();
      },
      startOver: async () => {
        await memory.forgetSeverity(context);
        await sayIt('startOver');
        await offer(replies.welcome(context, lang));
        return end();
      },
      // "Continue" under a fact: the case it offered, with what the partner had said.
      startCase: (answers) => this.startCase(step, answers ?? offeredCase ?? {}),
      reopenLastCase: () => this.reopenLastCase(step, lang),
      offerChange: () => this.offerChange(step, lang),
      severityHelper: () => this.severityHelper(step, meaning),
      switchLanguage: async (chosen) => {
        await memory.switchLanguage(context, chosen);
        await replies.say(context, 'languageSwitched', chosen);
        // "日本語でお願いします。Azure の件です": the case goes on in the language asked for.
        if (Object.keys(meaning.answers).length > 0) return this.startCase(step, meaning.answers);
        await offer(replies.welcome(context, chosen));
        return end();
      },
      fact: async (id) => {
        await replies.fact(context, id, lang, meaning);
        await this.offerCase(context, meaning.answers, lang);
        return end();
      },
      caseWords: () => this.caseWords(step, meaning, lang),
      notSure: async () => {
        await replies.sayAll(context, ['notSureIdle', 'helpIdle'], lang);
        return end();
      },
      person: async () => {
        if (!this.deps.handoff) {
          await peopleWindow(rest);
          return end();
        }
        // The last case, if there was one: its answers and the card it ended on.
        const last = await memory.lastCaseOf(context);
        const routeId = last && this.deps.replies.routeIdOf(last.answers, lang);
        return step.beginDialog(HandoffDialog.id, {
          answers: last?.answers,
          routeId,
        } satisfies HandoffOptions);
      },
      steps: async () => {
        const last = await memory.lastCaseOf(context);
        const shown = last !== undefined && (await replies.steps(context, last.answers, lang));
        if (!shown) await replies.sayAll(context, ['stepsNoCase', 'helpIdle'], lang);
        return end();
      },
    };
    return rest;
  }

  private async onSubmit(
    step: WaterfallStepContext,
    rest: AtRest,
    submit: CardSubmit,
    lang: Lang,
  ): Promise<DialogTurnResult> {
    const command = commandOfSubmit(submit);
    if (command) return atRest(rest, command);
    const { context } = step;
    const { replies, memory } = this.deps;
    switch (submit.verb) {
      case 'changeAnswer': {
        const last = await memory.lastCaseOf(context);
        if (!last) return this.startCase(step, {});
        const changing = answersToChange(last.answers, lang).find(
          (answer) => answer.question === submit.question,
        );
        if (changing) await replies.say(context, 'changingAnswer', lang, { name: changing.title });
        return this.startCase(step, last.answers, { answered: last.answered, change: submit.question });
      }
      case 'answer':
        // A button of a question from an earlier case: start a new case from that answer.
        return this.startCase(step, submit.answer);
      // "Send it?" pressed again after it was answered (or from an older message): nothing is sent.
      case 'handoff':
        await rest.say('staleSubmit');
        return rest.welcome();
      case 'feedback':
        await this.offer(context, takeFeedback(context, submit, this.deps, lang));
        return step.endDialog();
      case 'severity': {
        const { ready24x7, businessDown, companyWideStop } = submit;
        const situation = { ready24x7, businessDown, companyWideStop };
        return step.beginDialog(SeverityDialog.id, { situation } satisfies SeverityOptions);
      }
      default:
        return step.endDialog();
    }
  }

  /**
   * Words of a case with no question open: a correction after the card rebuilds that case's card ("actually
   * Silver"); options only asked about are explained; anything else starts a case with the answers named.
   */
  private async caseWords(
    step: WaterfallStepContext,
    meaning: Interpretation,
    lang: Lang,
  ): Promise<DialogTurnResult> {
    const { context } = step;
    const { memory, replies } = this.deps;
    if (meaning.severity) await memory.rememberSeverity(context, meaning.severity);
    const last = await memory.lastCaseOf(context);
    // "We're not Advisor" / "actually we're CSP" (which CSP?): the case again, that answer asked again.
    const withdrawn = last && meaning.withdrawn[0];
    if (withdrawn) {
      const changing = answersToChange(last.answers, lang).find((answer) => answer.question === withdrawn);
      if (changing) await replies.say(context, 'changingAnswer', lang, { name: changing.title });
      const answers = { ...last.answers, ...meaning.answers };
      return this.startCase(step, answers, { answered: last.answered, change: withdrawn });
    }
    if (last && Object.keys(meaning.corrections).length > 0) {
      await replies.say(context, 'correctingCase', lang);
      return this.startCase(step, { ...last.answers, ...meaning.answers }, { answered: last.answered });
    }
    if (meaning.askedAbout.length > 0) {
      await replies.explainOptions(context, meaning.askedAbout, lang);
      await this.offerCase(context, meaning.answers, lang);
      return step.endDialog();
    }
    // Nothing the bot knows in it ("blue bananas", an error it does not know): the partner is told so and a case is
    // asked for from the start; trainers see the message among those not understood, as they do at a question.
    const nothingKnown = Object.keys(meaning.answers).length === 0 && meaning.unrecognised.length === 0;
    if (nothingKnown && !meaning.severity && context.activity.text) {
      this.deps.events?.record(context, { event: 'notUnderstood', text: context.activity.text });
      await replies.say(context, 'nothingRecognised', lang);
    }
    return this.startCase(step, meaning.answers, { unrecognised: meaning.unrecognised });
  }

  /** After a fact or an explanation: a case to go on with, filled with what the partner said (a button, or typed). */
  private async offerCase(context: TurnContext, answers: Answers, lang: Lang): Promise<void> {
    const { memory, replies } = this.deps;
    const named = replies.describeAnswers(answers, lang);
    const text = named ? say('continueWithCase', lang, { answers: named }) : say('startCaseOffer', lang);
    await this.offer(context, replies.offerToContinue(context, text, lang));
    await memory.offerCase(context, answers);
  }

  /** The severity helper, without asking what the partner already said. */
  private async severityHelper(
    step: WaterfallStepContext,
    meaning: Interpretation,
  ): Promise<DialogTurnResult> {
    const { memory } = this.deps;
    if (meaning.severity) await memory.rememberSeverity(step.context, meaning.severity);
    return step.beginDialog(SeverityDialog.id, {} satisfies SeverityOptions);
  }

  /** Sends a menu and keeps its items for the next message, so a typed number or name picks one. */
  private async offer(context: TurnContext, sent: Promise<MenuItem[]>): Promise<void> {
    await this.deps.memory.offerMenu(context, await sent);
  }

  /** "Change" with no question on screen: offer the answers of the last case (as its card does), if there was one. */
  private async offerChange(step: WaterfallStepContext, lang: Lang): Promise<DialogTurnResult> {
    const last = await this.deps.memory.lastCaseOf(step.context);
    const answers = last ? answersToChange(last.answers, lang) : [];
    if (answers.length === 0) {
      await this.deps.replies.sayAll(step.context, ['nothingToGoBackTo', 'helpIdle'], lang);
    } else {
      await this.offer(step.context, this.deps.replies.whichAnswer(step.context, answers, lang));
    }
    return step.endDialog();
  }

  /** "Back" after a card: the last case again, its latest answer dropped and asked again. */
  private async reopenLastCase(step: WaterfallStepContext, lang: Lang): Promise<DialogTurnResult> {
    const last = await this.deps.memory.lastCaseOf(step.context);
    if (!last) {
      await this.deps.replies.sayAll(step.context, ['nothingToGoBackTo', 'helpIdle'], lang);
      return step.endDialog();
    }
    await this.deps.replies.say(step.context, 'goingBack', lang);
    return this.startCase(step, last.answers, { answered: last.answered, back: true });
  }

  private startCase(
    step: WaterfallStepContext,
    answers: Answers,
    reopen: Omit<CaseOptions, 'answers'> = {},
  ): Promise<DialogTurnResult> {
    return step.beginDialog(CaseDialog.id, { answers, ...reopen } satisfies CaseOptions);
  }

  /**
   * "Which severity?" at a question of a case: the helper, then (its card shown) the case where it was. The case
   * is kept in this waterfall's own state meanwhile.
   */
  private async detour(step: WaterfallStepContext, detour: DetourOptions): Promise<DialogTurnResult> {
    const lang = await this.deps.memory.language(step.context);
    if ('resumeCase' in detour) {
      await this.deps.replies.say(step.context, 'backToCase', lang);
      return this.startCase(step, detour.resumeCase.answers, { answered: detour.resumeCase.answered });
    }
    if ('personThenCase' in detour) {
      const { resumeCase, offered } = detour.personThenCase;
      (step.values as { resumeCase?: unknown }).resumeCase = resumeCase;
      const options = { answers: resumeCase?.answers, offered } satisfies HandoffOptions;
      return step.beginDialog(HandoffDialog.id, options);
    }
    (step.values as { resumeCase?: unknown }).resumeCase = detour.severityThenCase;
    return step.beginDialog(SeverityDialog.id, {} satisfies SeverityOptions);
  }

  private async closeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    // The partner chose another topic mid-way: handle the same message again from the top.
    if (isHandoff(step.result)) return step.replaceDialog(MainDialog.id);
    if (isSeverityDetour(step.result)) {
      return step.replaceDialog(MainDialog.id, { severityThenCase: step.result.severityDetour });
    }
    // "Talk to a person" at a question: the hand-off, then the case where it was.
    if (isPersonDetour(step.result)) {
      return step.replaceDialog(MainDialog.id, { personThenCase: step.result.personDetour });
    }
    const setAside = (step.values as { resumeCase?: unknown }).resumeCase;
    const resumeCase = setAside === undefined ? undefined : CaseToResume.safeParse(setAside);
    if (resumeCase?.success && (isSeverityResult(step.result) || isPersonAsked(step.result))) {
      return step.replaceDialog(MainDialog.id, { resumeCase: resumeCase.data });
    }
    if (isCaseResult(step.result)) {
      const { answers, answered } = step.result;
      await this.deps.memory.rememberCase(step.context, { answers, answered });
    }
    return step.endDialog();
  }
}

/** A case set aside for the severity helper: its answers and their order, as the engine knows them. */
const CaseToResume = z.object({ answers: Answers, answered: z.array(QuestionId) });
const DetourOptions = z.union([
  z.object({ severityThenCase: CaseToResume }),
  z.object({ resumeCase: CaseToResume }),
  z.object({
    personThenCase: z.object({ resumeCase: CaseToResume.optional(), offered: z.boolean().optional() }),
  }),
]);
type DetourOptions = z.infer<typeof DetourOptions>;

const isEmpty = (options: object | undefined) => options === undefined || Object.keys(options).length === 0;

function isSeverityResult(result: unknown): boolean {
  return typeof result === 'object' && result !== null && 'level' in result;
}

function isCaseResult(result: unknown): result is CaseResult {
  return typeof result === 'object' && result !== null && 'outcomeId' in result && 'answers' in result;
}
