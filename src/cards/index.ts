export {
  answersToChange,
  cardActivity,
  CardDataError,
  renderKnownError,
  renderKnownErrorMenu,
  renderNotEligible,
  renderQuestion,
  renderRedirect,
  renderRedirectMenu,
  renderRoute,
  renderFeedbackReasons,
  renderSeverity,
  renderWelcome,
  supportsCards,
  type CardChoice,
  type CardName,
  type RenderedCard,
} from './render';
export { describeKnownError, describeLinks } from '../engine/describe';
export { describeRedirect } from './describe';
export type { RedirectOut } from './shapes';
export { answerButton, menuActivity, questionActivity, type MenuButton } from './buttons';
