export {
  expectedBy,
  interpret,
  type Intent,
  type Interpretation,
  type InterpretationContext,
  type Polarity,
  type Slot,
} from './interpretation';
export { interpretWithButtons } from './buttons';
export { languageFromLocale } from './locale';
export { pickFromMenu } from './menu';
export { MAX_UNDERSTOOD_LENGTH } from './normalise';
export { compilePhrases, getPhrases, loadPhrases, type CompiledPhrases } from './phrases';
export { CardSubmit, parseCardSubmit, WelcomeTopic } from './submit';
