import { isQuestionId, ProductName, type Answers } from '../engine/types';
import type { Knowledge, Lang, QuestionId } from '../knowledge/schema';
import { bestEntry, intentOfCommand } from './intent';
import {
  longestFirst,
  MAX_UNDERSTOOD_LENGTH,
  foundIn,
  normalise,
  overlaps,
  type Normalised,
  type Span,
} from './normalise';
import { getPhrases, messageCore, type CompiledPhrases, type Needle } from './phrases';
import { correctTypos, vocabularyOf, type Term, type Vocabulary } from './vocabulary';

/** Every question the partner can answer in words: the slots of a case. */
export type Slot = QuestionId;
export type Polarity = 'affirmed' | 'negated';

/** What a message asks the bot to do. `none`: a support case to start or continue with the answers given. */
export type Intent =
  | { kind: 'help' }
  | { kind: 'startOver' }
  | { kind: 'back' }
  | { kind: 'change' }
  | { kind: 'cancel' }
  | { kind: 'switchLanguage'; lang: Lang }
  | { kind: 'knownError'; id: string }
  | { kind: 'knownErrorMenu' }
  | { kind: 'supportCase' }
  | { kind: 'redirectMenu' }
  | { kind: 'greeting' }
  | { kind: 'thanks' }
  | { kind: 'severityHelp' }
  | { kind: 'redirect'; id: string }
  /** `givesAnswers`: the message also answers questions of a case ("we're Gold, how many incidents…"). */
  | { kind: 'fact'; id: string; givesAnswers: boolean }
  /** The partner does not know the answer to the question on screen. */
  | { kind: 'notSure' }
  | { kind: 'steps' }
  /** The partner asks for a person. */
  | { kind: 'handoff' }
  | { kind: 'none' };

/** Where the message arrives: the language of the conversation, the question on screen, the answers so far. */
export interface InterpretationContext {
  lang: Lang;
  asking?: QuestionId;
  answers?: Answers;
}

export type SeverityLevel = 'A' | 'B' | 'C';

/** One message, understood once per turn; the dialogs act on this and never read the text again. */
export interface Interpretation {
  /** The language the text is clearly written in; undefined for ids, numbers, bare product names, mixed text. */
  language?: Lang;
  intent: Intent;
  /** Affirmed answers to take, with negation complements and corrections applied. */
  answers: Answers;
  /** Options the partner denies: never fill a slot with these. */
  negated: Partial<Record<Slot, string[]>>;
  /** Options the message only asks about ("what's PSfP?"): never an answer. */
  askedAbout: { slot: Slot; option: string }[];
  /**
   * Answers that replace earlier ones ("Gold, not Silver" after Silver, "actually we're Silver", "Y じゃなくて X"),
   * and, after the card, answers a correction adds to the case ("actually we're Gold" on a CSP case).
   */
  corrections: Partial<Answers>;
  /**
   * Earlier answers the message takes back with no single answer in their place ("we're not Advisor", "actually
   * we're CSP" after Advisor): asked again, never kept.
   */
  withdrawn: Slot[];
  /** Product-like names the knowledge does not decide (Entra ID, Defender, Power BI): ask, never guess. */
  unrecognised: string[];
  /** More than one reading for a slot: ask, never guess. */
  ambiguous: boolean;
  /** Severity the partner stated, or whether they can work around the clock. */
  severity?: { level?: SeverityLevel; aroundTheClock?: boolean; businessDown?: boolean };
}

/** The questions whose answer words count when the bot is asking `asking` ("family" also takes a product). */
export function expectedBy(asking: QuestionId | undefined): QuestionId[] {
  if (asking === undefined) return [];
  return asking === 'family' ? ['family', 'product'] : [asking];
}

/** A place the text names an answer, and what the words around it say about it. */
interface Mention extends Span, Term {
  negated: boolean;
  /** Named in a question and not as the partner's own ("what's PSfP?"). */
  questioned: boolean;
  /** Named after "I mean" / "いや" in place of an answer named before it. */
  replaces: boolean;
  /** Named in a supposition ("if we have Premier"): never an answer. */
  supposed: boolean;
}

interface Clause extends Span {
  question: boolean;
  /** The question is about an option itself ("what's PSfP?"), not a request naming one. */
  aboutOption: boolean;
  /** Where the clause supposes ("if we have Premier"): what it names there is never the partner's answer. */
  supposes?: Span;
}

/**
 * Understands one message: what it asks for, and the answers it gives, denies, asks about or corrects.
 * Explainable in steps: typos put right; clauses and questions found; answer words found with the cues around
 * them (negation, question, correction); answers decided per question; then the intent, in a fixed order.
 */
export function interpret(
  text: string,
  context: InterpretationContext,
  knowledge: Knowledge,
  phrases: CompiledPhrases = getPhrases(),
): Interpretation {
  const vocabulary = vocabularyOf(knowledge, phrases);
  const message = correctTypos(text.slice(0, MAX_UNDERSTOOD_LENGTH), vocabulary);
  const normalised = vocabulary.dictionary.scan(normalise(message));
  const clauses = clausesOf(normalised, phrases);

  const correcting = foundIn(normalised, phrases.corrections.signals).length > 0;
  const expected = new Set<QuestionId>(expectedBy(context.asking));
  if (correcting) for (const slot of Object.keys(context.answers ?? {})) expected.add(slot as QuestionId);
  const mentions = mentionsIn(normalised, clauses, vocabulary, expected, phrases);

  const stated = mentions.filter((mention) => !mention.questioned && !mention.negated);
  const { intent, spans } = intentOf(
    message,
    normalised,
    clauses,
    mentions,
    stated,
    context,
    knowledge,
    phrases,
  );
  // Options named in a question are asked about only when the message is a question about them (a fact or an
  // explanation); in a request ("any help with our Azure app?") they are answers. Words of a redirect ("join the
  // CSP program") are not answers, nor is the answer to the question the partner is not sure of.
  const asksAbout = intent.kind === 'fact' || intent.kind === 'help';
  const taken = mentions.filter(
    (mention) =>
      !mention.negated &&
      !mention.supposed &&
      (!asksAbout || !mention.questioned) &&
      !spans.some((span) => within(mention, span)) &&
      !(intent.kind === 'notSure' && mention.slot === context.asking),
  );
  const decided = decide(taken, mentions, expected, knowledge, normalised);
  // A different answer corrects an earlier one only when the message says so ("actually", "sorry", "でした") or
  // denies the earlier one ("not Silver", "Azure じゃなくて"): otherwise it may be a new case. After the card (no
  // question open), a correction may also add what the case was never asked ("actually we're Gold" on CSP).
  const afterCard = context.answers !== undefined && context.asking === undefined;
  const corrections: Partial<Answers> = {};
  for (const [slot, option] of Object.entries(decided.answers) as [QuestionId, string][]) {
    const before = context.answers?.[slot];
    const replaced = mentions.some((mention) => mention.replaces && mention.slot === slot);
    const deniesBefore = before !== undefined && (decided.negated[slot] ?? []).includes(before);
    const changes = before !== undefined && before !== option && (correcting || deniesBefore);
    const adds = before === undefined && correcting && afterCard;
    if (changes || adds || replaced) Object.assign(corrections, { [slot]: option });
  }
  const withdrawn = (Object.keys(context.answers ?? {}) as Slot[]).filter((slot) => {
    const before = context.answers?.[slot];
    if (!isQuestionId(slot) || before === undefined || slot in decided.answers) return false;
    const denied = (decided.negated[slot] ?? []).includes(before);
    return denied || (correcting && decided.ambiguousSlots.has(slot));
  });
  const askedAbout = asksAbout ? askedAboutIn(mentions, knowledge) : [];
  const finalIntent: Intent =
    intent.kind === 'fact' ? { ...intent, givesAnswers: Object.keys(decided.answers).length > 0 } : intent;
  // Levels named in a question about severity ("Sev A or Sev B?") are asked about, not stated.
  const severity = intent.kind === 'severityHelp' ? undefined : severityIn(normalised, clauses, phrases);
  // "Silver or Gold, I can't tell": the partner is not sure between two options.
  const unsureBetween =
    intent.kind === 'notSure' &&
    new Set(
      mentions.filter((mention) => mention.slot === context.asking).flatMap((mention) => mention.options),
    ).size > 1;

  return {
    language: languageIn(message, vocabulary),
    intent: finalIntent,
    answers: decided.answers,
    negated: decided.negated,
    askedAbout,
    corrections,
    withdrawn,
    unrecognised: unrecognisedIn(normalised, mentions, phrases),
    ambiguous: decided.ambiguousSlots.size > 0 || unsureBetween,
    ...(severity && { severity }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Clauses and cues
// ---------------------------------------------------------------------------------------------------------------

/** Punctuation that ends a clause; a full stop only before a space, so "Outlook.com" stays one word. */
const CLAUSE_BREAK = /[,;:!?、。，；：！？…]|\.\s|\.\./u;
const QUESTION_MARK = /[?？]/u;

function clausesOf(text: Normalised, phrases: CompiledPhrases): Clause[] {
  const starts = [0];
  for (let at = 1; at < text.compact.length; at += 1) {
    if (text.separators[at] !== '' && CLAUSE_BREAK.test(text.separators[at])) starts.push(at);
  }
  const { questions } = phrases;
  const opening = foundIn(text, questions.starts);
  const anywhere = foundIn(text, questions.anywhere);
  const about = foundIn(text, questions.about);
  const conditionOpening = foundIn(text, questions.conditions.starts);
  const supposingOpening = foundIn(text, questions.supposing.starts);
  const clauses: Clause[] = starts.map((start, index) => {
    const end = starts[index + 1] ?? text.compact.length;
    const words = text.compact.slice(start, end);
    const inside = (spans: readonly Span[]) => spans.some((span) => within(span, { start, end }));
    // "If we have Premier do we…": the supposition reaches the question's first word, else the clause's end.
    const supposesFrom = supposingOpening.some((span) => span.start === start);
    const questionWord = opening.find((span) => span.start > start && span.end < end);
    const supposes =
      supposesFrom || questions.supposing.ends.some((ending) => words.endsWith(ending))
        ? { start, end: (supposesFrom && questionWord?.start) || end }
        : undefined;
    const question =
      QUESTION_MARK.test(text.separators[end]) ||
      opening.some((span) => span.start === start) ||
      questions.ends.some((ending) => words.endsWith(ending)) ||
      inside(anywhere);
    return { start, end, question, aboutOption: question && inside(about), supposes };
  });
  // A clause that only sets a condition ("PSfP の場合、", "with ASfP,") belongs to the question after it.
  for (let index = clauses.length - 2; index >= 0; index -= 1) {
    const clause = clauses[index];
    const next = clauses[index + 1];
    const words = text.compact.slice(clause.start, clause.end);
    const condition =
      conditionOpening.some((span) => span.start === clause.start) ||
      questions.conditions.ends.some((ending) => words.endsWith(ending));
    if (condition && !clause.question && next.question)
      Object.assign(clause, { question: true, aboutOption: next.aboutOption });
  }
  return clauses;
}

const within = (inner: Span, outer: Span) => outer.start <= inner.start && inner.end <= outer.end;
const clauseAt = (clauses: Clause[], at: number) =>
  clauses.find((clause) => clause.start <= at && at < clause.end) ?? clauses[clauses.length - 1];

/** How many words start in [from, to): how far a cue reaches. */
function wordsBetween(text: Normalised, from: number, to: number): number {
  let words = 0;
  for (let at = from; at < to; at += 1) if (text.boundary[at]) words += 1;
  return words;
}

/** An English cue reaches a few words ahead ("not one of the latest two"); a Japanese prefix (非) only the next. */
const MAX_CUE_REACH = 6;
/** Six words are never longer than this: a pasted log is not walked word by word. */
const MAX_CUE_REACH_CHARS = 80;
const isAsciiCue = (span: Span, text: Normalised) => /[a-z0-9]/.test(text.compact[span.start]);

/**
 * Every answer word in the text, longest first where they overlap, with what the cues around it say:
 * denied ("no Premier", "ASfP は持っていません", "I said advisor but…"), asked about ("what's PSfP?"), or named in
 * place of an answer before it ("Silver… I mean Gold").
 */
function mentionsIn(
  text: Normalised,
  clauses: Clause[],
  vocabulary: Vocabulary,
  expected: Set<QuestionId>,
  phrases: CompiledPhrases,
): Mention[] {
  const matches = foundIn(text, vocabulary.terms).filter(({ item }) => {
    const term = item as Term;
    return !term.answerOnly || expected.has(term.slot);
  });
  const masked = foundIn(text, phrases.notAnswers);
  const found = longestFirst(matches)
    .filter((match) => !masked.some((mask) => overlaps(mask, match)))
    .sort((a, b) => a.start - b.start);

  const before = foundIn(text, phrases.negation.before);
  const after = foundIn(text, phrases.negation.after);
  const adjacentAfter = foundIn(text, phrases.negation.adjacentAfter);
  const scopeEnds = foundIn(text, phrases.negation.scopeEnds);
  const owned = foundIn(text, phrases.questions.owned);
  const instead = foundIn(text, phrases.corrections.instead);

  const mentions = found.map(({ start, end, item }): Mention => {
    const term = item as Term;
    const clause = clauseAt(clauses, start);
    const deniedBefore = before.some((cue) => {
      if (cue.end > start || cue.start < clause.start) return false;
      if (!isAsciiCue(cue, text)) return cue.end === start;
      if (start - cue.end > MAX_CUE_REACH_CHARS) return false;
      const ended = scopeEnds.some((scopeEnd) => scopeEnd.start >= cue.end && scopeEnd.end <= start);
      return !ended && wordsBetween(text, cue.end, start) <= MAX_CUE_REACH;
    });
    // Only the nearest cue after the word denies it, within its clause.
    let nearest: Span | undefined;
    for (const cue of after) if (cue.start >= end && (!nearest || cue.start < nearest.start)) nearest = cue;
    const deniedAfter =
      (nearest !== undefined &&
        nearest.end <= clause.end &&
        !scopeEnds.some((scopeEnd) => scopeEnd.start >= end && scopeEnd.end <= nearest.start)) ||
      adjacentAfter.some((cue) => cue.start === end);
    const ownedHere = owned.some(
      (cue) => cue.end <= start && cue.start >= clause.start && wordsBetween(text, cue.end, start) <= 1,
    );
    const supposed = clause.supposes !== undefined && within({ start, end }, clause.supposes);
    // Every field written out: spreading the term into the mention was a slow copy for each answer word.
    return {
      start,
      end,
      slot: term.slot,
      options: term.options,
      kind: term.kind,
      needle: term.needle,
      written: term.written,
      lastWord: term.lastWord,
      answerOnly: term.answerOnly,
      namesProduct: term.namesProduct,
      negated: deniedBefore || deniedAfter,
      questioned: (clause.question && !ownedHere) || supposed,
      replaces: false,
      supposed,
    };
  });

  // "Silver… sorry, I mean Gold", "シルバー、あ、いや、ゴールド": the later answer replaces the earlier one.
  for (const cue of instead) {
    for (const later of mentions) {
      if (later.start < cue.end || later.negated || later.kind !== 'option') continue;
      for (const earlier of mentions) {
        if (earlier.end > cue.start || earlier.slot !== later.slot) continue;
        if (earlier.options.join() === later.options.join()) continue;
        earlier.negated = true;
        later.replaces = true;
      }
    }
  }
  return mentions;
}

// ---------------------------------------------------------------------------------------------------------------
// Answers per question
// ---------------------------------------------------------------------------------------------------------------

interface Decided {
  answers: Answers;
  negated: Partial<Record<Slot, string[]>>;
  /** Slots with more than one reading ("CSP" for the program). */
  ambiguousSlots: Set<Slot>;
}

/**
 * Per question: the one option affirmed and not denied is the answer; two different ones are ambiguous. Where only
 * denials were given, the complement is taken when one reading is left (not N or N-1 → older; non-cloud → other;
 * neither plan → none). A product implies its family.
 */
function decide(
  taken: Mention[],
  mentions: Mention[],
  expected: Set<QuestionId>,
  knowledge: Knowledge,
  text: Normalised,
): Decided {
  const negated: Partial<Record<Slot, string[]>> = {};
  const ownWords = new Set<string>();
  for (const mention of taken)
    if (mention.kind === 'option') for (const option of mention.options) ownWords.add(option);
  for (const mention of mentions) {
    if (!mention.negated) continue;
    const list = (negated[mention.slot] ??= []);
    for (const option of mention.options) {
      // "I said CSP but we're an indirect reseller": a group denied keeps the option named as their own.
      if (mention.kind === 'group' && ownWords.has(option)) continue;
      if (!list.includes(option)) list.push(option);
    }
  }

  const answers: Record<string, string> = {};
  const ambiguousSlots = new Set<Slot>();
  const slots = new Set<Slot>([...taken.map((mention) => mention.slot), ...(Object.keys(negated) as Slot[])]);
  for (const slot of slots) {
    const denied = new Set(negated[slot] ?? []);
    const affirmed = new Set<string>();
    let groupNamed = false;
    for (const mention of taken) {
      if (mention.slot !== slot) continue;
      // A group word counts where its question is asked, or anywhere when it says something ("we're CSP").
      if (mention.kind === 'group') groupNamed ||= expected.has(slot) || !mention.answerOnly;
      else for (const option of mention.options) if (!denied.has(option)) affirmed.add(option);
    }
    if (affirmed.size === 1) {
      answers[slot] = [...affirmed][0];
      continue;
    }
    if (affirmed.size > 1 || groupNamed) {
      ambiguousSlots.add(slot);
      continue;
    }
    const complement = complementOf(slot, denied, knowledge);
    if (complement) answers[slot] = complement;
  }

  const product = knowledge.questions.product.options.find((option) => option.id === answers.product);
  // A product belongs to one family; it is more precise than any family word found beside it.
  if (product) answers.family = product.family;
  const name = product && productNameOf(product.id, taken, text);
  if (name) answers.productName = name;
  for (const slot of Object.keys(negated) as Slot[]) {
    negated[slot] = negated[slot]!.filter((option) => answers[slot] !== option);
    if (negated[slot]!.length === 0) delete negated[slot];
  }
  dropImpliedFamilies(negated, knowledge);
  return { answers: answers as Answers, negated, ambiguousSlots };
}

/**
 * The product as the partner named it, when more precise than the option ("SQL Server 2019", "Dynamics 365 Sales",
 * "Exchange Online"): the knowledge's spelling of the words they typed, with the version number that follows.
 * Family words ("on-premises") and katakana spellings ("インチューン") name the option itself: the card keeps its
 * label unless a more precise name stands beside them ("SQL Server 2012 on-premises").
 */
function productNameOf(product: string, taken: Mention[], text: Normalised): string | undefined {
  const named = taken
    .filter((mention) => mention.namesProduct && mention.options[0] === product)
    .sort((a, b) => b.end - b.start - (a.end - a.start))[0];
  if (!named) return undefined;
  const version = /^(\d+)(r2)?/.exec(text.compact.slice(named.end));
  const withVersion =
    version && text.boundary[named.end] && !/\d$/.test(named.written)
      ? `${named.written} ${version[1]}${version[2] ? ' R2' : ''}`
      : named.written;
  return ProductName.safeParse(withVersion).success ? withVersion : undefined;
}

/** The one option left when the others are denied; a bought plan denied means none was bought. */
function complementOf(slot: Slot, denied: Set<string>, knowledge: Knowledge): string | undefined {
  if (denied.size === 0 || slot === 'family' || slot === 'product') return undefined;
  if (slot === 'purchasedPlan') return denied.has('none') ? undefined : 'none';
  const left = knowledge.questions[slot].options.filter((option) => !denied.has(option.id));
  return left.length === 1 ? left[0].id : undefined;
}

const singleProductFamiliesOf = new WeakMap<Knowledge, Set<string>>();

/** Families with one product (Azure, on-premises): naming the product names the family too. Counted once. */
function singleProductFamilies(knowledge: Knowledge): Set<string> {
  let single = singleProductFamiliesOf.get(knowledge);
  if (!single) {
    const count = new Map<string, number>();
    for (const option of knowledge.questions.product.options)
      count.set(option.family, (count.get(option.family) ?? 0) + 1);
    single = new Set([...count].filter(([, products]) => products === 1).map(([family]) => family));
    singleProductFamiliesOf.set(knowledge, single);
  }
  return single;
}

/** "Not Office 365" does not deny Microsoft 365, though "Office 365" is one of its words too. */
function dropImpliedFamilies(negated: Partial<Record<Slot, string[]>>, knowledge: Knowledge) {
  const single = singleProductFamilies(knowledge);
  const products = knowledge.questions.product.options.filter((option) =>
    negated.product?.includes(option.id),
  );
  if (!negated.family) return;
  negated.family = negated.family.filter(
    (family) => single.has(family) || !products.some((product) => product.family === family),
  );
  if (negated.family.length === 0) delete negated.family;
}

function askedAboutIn(mentions: Mention[], knowledge: Knowledge): { slot: Slot; option: string }[] {
  const single = singleProductFamilies(knowledge);
  const asked = mentions.filter(
    (mention) => mention.questioned && !mention.negated && mention.kind === 'option',
  );
  const products = knowledge.questions.product.options.filter((option) =>
    asked.some((mention) => mention.slot === 'product' && mention.options.includes(option.id)),
  );
  const list: { slot: Slot; option: string }[] = [];
  for (const mention of asked) {
    for (const option of mention.options) {
      const implied =
        mention.slot === 'family' &&
        !single.has(option) &&
        products.some((product) => product.family === option);
      if (implied || list.some((entry) => entry.slot === mention.slot && entry.option === option)) continue;
      list.push({ slot: mention.slot, option });
    }
  }
  return list;
}

// ---------------------------------------------------------------------------------------------------------------
// Intent
// ---------------------------------------------------------------------------------------------------------------

/**
 * In order: a command that is (nearly) the whole message, or a language switch in a clause of its own; a greeting
 * or thank-you that is the whole message; a request for a person; a pasted or described known error; a question
 * about severity; "not sure" at a question; a question that is not technical support (unless a product has a
 * technical problem); a fact asked about; a question about an option itself; else a support case (`none`).
 */
function intentOf(
  message: string,
  text: Normalised,
  clauses: Clause[],
  mentions: Mention[],
  stated: Mention[],
  context: InterpretationContext,
  knowledge: Knowledge,
  phrases: CompiledPhrases,
): { intent: Intent; spans: Span[] } {
  const intent = (found: Intent, spans: Span[] = []) => ({ intent: found, spans });
  const core = messageCore(text, phrases);
  const command = intentOfCommand(core, phrases);
  if (command) return intent(command);
  // "日本語でお願いします。Azure の件です": a language switch in a clause of its own.
  if (LANGUAGE_WORD.test(message)) {
    for (const clause of message.split(/[,.!?;、。，！？]/u)) {
      const switched = intentOfCommand(messageCore(clause, phrases), phrases);
      if (switched?.kind === 'switchLanguage') return intent(switched);
    }
  }
  if (text.compact.length === 0) return intent({ kind: 'none' });
  if (phrases.smallTalk.greeting.has(text.compact)) return intent({ kind: 'greeting' });
  if (isThanks(text, clauses, phrases)) return intent({ kind: 'thanks' });
  if (foundIn(text, phrases.handoff).length > 0) return intent({ kind: 'handoff' });

  // Pattern words that are the partner's own answers ("Gold cloud competency", "a non-cloud competency") are not
  // a question about them; options only asked about ("is Security a cloud competency?") do not hide a pattern.
  const answerSpans = mentions.filter((mention) => mention.kind === 'option' && !mention.questioned);
  const knownError = bestEntry(text, knowledge.knownErrors, answerSpans);
  // Answer words of the error's own pattern ("with my work account") describe the error, not the case.
  if (knownError) return intent({ kind: 'knownError', id: knownError.id }, knownError.spans);

  const isQuestion = clauses.some((clause) => clause.question);
  // "Which severity?", "what does Sev C mean?"; but "Sev B?" states a level.
  const aboutSeverity = foundIn(text, phrases.severityHelp).length > 0;
  // Only read here when the message is about severity: interpret() reads the stated severity once for its result.
  const levelStated = aboutSeverity && severityIn(text, clauses, phrases)?.level !== undefined;
  const aboutLevels = clauses.some((clause) => clause.question && clause.aboutOption);
  if (aboutSeverity && (!levelStated || aboutLevels)) {
    return intent({ kind: 'severityHelp' });
  }

  const notSure = foundIn(text, phrases.notSure);
  const onlyNotSure = phrases.notSure.some((cue) => core === cue.needle);
  if (notSure.length > 0 && (context.asking !== undefined || onlyNotSure)) {
    const insideFact = bestEntry(text, knowledge.facts, answerSpans);
    if (!insideFact || !notSure.some((span) => insideFact.spans.some((fact) => overlaps(span, fact)))) {
      return intent({ kind: 'notSure' });
    }
  }

  const namesProduct = (spans: readonly Span[]) =>
    stated.some(
      (mention) =>
        (mention.slot === 'family' || mention.slot === 'product') &&
        !spans.some((span) => overlaps(span, mention)),
    );
  const redirect = bestEntry(text, knowledge.redirects, answerSpans);
  if (redirect) {
    const problem = foundIn(text, phrases.problems).length > 0;
    if (!(problem && namesProduct(redirect.spans)))
      return intent({ kind: 'redirect', id: redirect.id }, redirect.spans);
  }
  const fact = bestEntry(text, knowledge.facts, answerSpans);
  // A fact is answered when asked, or when the message is only its topic ("on-premises incidents"); a message
  // that names a product beside it describes a case, which the route card answers better.
  if (fact && (isQuestion || !namesProduct(fact.spans))) {
    return intent({ kind: 'fact', id: fact.id, givesAnswers: false });
  }
  const asked = mentions.filter((mention) => mention.questioned && !mention.negated);
  const aboutOption = asked.some(
    (mention) =>
      clauseAt(clauses, mention.start).aboutOption ||
      asked.some(
        (other) =>
          other !== mention &&
          other.slot === mention.slot &&
          clauseAt(clauses, other.start) === clauseAt(clauses, mention.start),
      ),
  );
  return intent(aboutOption ? { kind: 'help' } : { kind: 'none' });
}

/**
 * A thank-you in every clause ("ありがとうございました、助かりました"), each maybe with words around it ("thank you
 * very much for your help", "本当にありがとうございました").
 */
function isThanks(text: Normalised, clauses: Clause[], phrases: CompiledPhrases): boolean {
  const { thanks, thanksAround } = phrases.smallTalk;
  const trim = (words: string) => {
    const before = thanksAround.before.find((cue) => words.startsWith(cue) && words.length > cue.length);
    const rest = before ? words.slice(before.length) : words;
    const after = thanksAround.after.find((cue) => rest.endsWith(cue) && rest.length > cue.length);
    return after ? rest.slice(0, -after.length) : rest;
  };
  if (thanks.has(text.compact)) return true;
  const parts = clauses
    .map((clause) => text.compact.slice(clause.start, clause.end))
    .filter((words) => words.length > 0);
  return parts.length > 0 && parts.every((words) => thanks.has(words) || thanks.has(trim(words)));
}

// ---------------------------------------------------------------------------------------------------------------
// Severity, unrecognised names, language
// ---------------------------------------------------------------------------------------------------------------

const LEVEL = /^[abc]$/;
const LANGUAGE_WORD = /english|japanese|英語|日本語|にほんご/iu;

/** Words between a production system and the word saying it is down. */
const PRODUCTION_DOWN_REACH = 3;

/** "Sev B", "重大度は C"; 24x7 readiness; and the level the seed's criteria give when no letter was named. */
function severityIn(
  text: Normalised,
  clauses: Clause[],
  phrases: CompiledPhrases,
): Interpretation['severity'] {
  const { severity } = phrases;
  let level: SeverityLevel | undefined;
  for (const span of foundIn(text, severity.levels)) {
    const letter = text.compact[span.end];
    if (letter && LEVEL.test(letter) && text.boundary[span.end] && text.boundary[span.end + 1]) {
      level = letter.toUpperCase() as SeverityLevel;
      break;
    }
  }
  const yes = foundIn(text, severity.aroundTheClock.yes).length > 0;
  const no = foundIn(text, severity.aroundTheClock.no).length > 0;
  const aroundTheClock = yes === no ? undefined : yes;
  const has = (cues: Needle[]) => foundIn(text, cues).length > 0;
  // A critical production system down is half of the seed's severity A; the other half is 24x7 readiness.
  const { production } = severity.impact;
  const downs = foundIn(text, production.down);
  // The system first, its state a few words on, in the same clause ("production is completely down"; not "we
  // stopped using production slots").
  const productionDown = foundIn(text, production.systems).some((system) =>
    downs.some(
      (down) =>
        down.start >= system.end &&
        wordsBetween(text, system.end, down.start) <= PRODUCTION_DOWN_REACH &&
        clauseAt(clauses, down.start) === clauseAt(clauses, system.start),
    ),
  );
  const businessDown = has(severity.impact.critical) || productionDown || undefined;
  if (level === undefined && aroundTheClock !== undefined) {
    if (aroundTheClock && businessDown) level = 'A';
    else if (!aroundTheClock && has(severity.impact.companyWide)) level = 'B';
    else if (!aroundTheClock && has(severity.impact.noStop)) level = 'C';
  }
  if (level === undefined && aroundTheClock === undefined && !businessDown) return undefined;
  return {
    ...(level && { level }),
    ...(aroundTheClock !== undefined && { aroundTheClock }),
    ...(businessDown && { businessDown }),
  };
}

/** Names the knowledge does not decide, unless they are part of an answer ("Defender for Cloud Apps"). */
function unrecognisedIn(text: Normalised, mentions: Mention[], phrases: CompiledPhrases): string[] {
  const names = foundIn(text, phrases.unrecognisedNames).map(({ start, end, item }) => ({
    start,
    end,
    name: (item as (typeof phrases.unrecognisedNames)[number]).name,
  }));
  return longestFirst(names)
    .filter((name) => !mentions.some((mention) => overlaps(mention, name)))
    .sort((a, b) => a.start - b.start)
    .map((name) => name.name);
}

const JAPANESE_SCRIPT = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

const LATIN_WORD = /\p{Script=Latin}+/gu;

/**
 * Japanese when the text has kana or kanji; English when it has two Latin words or more besides the words of
 * answers (a button label such as "Action Pack", a bare "Azure" or one stray word says nothing about the partner's
 * language; "Azure, we are an advisor partner" is not clear enough to switch a Japanese conversation either).
 */
function languageIn(message: string, vocabulary: Vocabulary): Lang | undefined {
  if (JAPANESE_SCRIPT.test(message)) return 'ja';
  let words = 0;
  for (const [word] of message.toLowerCase().matchAll(LATIN_WORD)) {
    if (!vocabulary.answerWords.has(word) && ++words === 2) return 'en';
  }
  return undefined;
}
