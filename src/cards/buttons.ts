import {
  ActionTypes,
  CardFactory,
  Channels,
  MessageFactory,
  type Activity,
  type CardAction,
} from 'botbuilder';
import { ListStyle, supportsSuggestedActions } from 'botbuilder-dialogs';
import { supportsCards } from './render';

/** One button of a short menu or question: what it says, and what it sends back when pressed. */
export interface MenuButton {
  title: string;
  value: Record<string, unknown>;
}

/** The incoming activity, which says which client the reply goes to. */
type Client = Pick<Activity, 'channelId' | 'conversation'>;

/**
 * Buttons as each client shows them: suggested actions where they exist, hero card buttons in Teams teams and
 * group chats (Teams shows suggested actions in personal chat only).
 */
function listStyleFor(client: Client): ListStyle {
  if (client.channelId !== Channels.Msteams) return ListStyle.suggestedAction;
  return client.conversation?.conversationType === 'personal'
    ? ListStyle.suggestedAction
    : ListStyle.heroCard;
}

/** messageBack carries the answer as a value: Teams channels deliver it without an @mention. */
const messageBack = ({ title, value }: MenuButton): CardAction => ({
  type: ActionTypes.MessageBack,
  title,
  text: title,
  displayText: title,
  value,
});

/** The button for one answer of a question: messageBack with a value on hero cards, imBack of its title elsewhere. */
export function answerButton(client: Client, button: MenuButton): CardAction {
  return listStyleFor(client) === ListStyle.heroCard
    ? messageBack(button)
    : { type: ActionTypes.ImBack, title: button.title, value: button.title };
}

const numberedText = (prompt: string, buttons: MenuButton[]) =>
  [prompt, ...buttons.map((button, index) => `${index + 1}. ${button.title}`)].join('\n');

/**
 * A question with a few answers as buttons that fit the client. Channels without cards (SMS, email, Slack…) may
 * show no buttons at all: the answers go in the text, numbered as the plain-text cards number theirs (a typed
 * number answers), with suggested actions where the channel has them.
 */
export function questionActivity(client: Client, prompt: string, buttons: MenuButton[]): Partial<Activity> {
  const actions = buttons.map((button) => answerButton(client, button));
  if (supportsCards(client.channelId)) {
    // ChoiceFactory.heroCard drops each choice's action (it always sends imBack of the id): the card is built here.
    return listStyleFor(client) === ListStyle.heroCard
      ? MessageFactory.attachment(CardFactory.heroCard('', prompt, undefined, actions))
      : MessageFactory.suggestedActions(actions, prompt);
  }
  const text = numberedText(prompt, buttons);
  return supportsSuggestedActions(client.channelId, actions.length)
    ? MessageFactory.suggestedActions(actions, text)
    : MessageFactory.text(text);
}

/** A short menu (which answer to change): messageBack buttons where cards render, a numbered list elsewhere. */
export function menuActivity(client: Client, prompt: string, buttons: MenuButton[]): Partial<Activity> {
  if (!supportsCards(client.channelId)) return MessageFactory.text(numberedText(prompt, buttons));
  return MessageFactory.attachment(CardFactory.heroCard('', prompt, undefined, buttons.map(messageBack)));
}
