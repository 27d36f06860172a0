import type { Activity, Attachment, CardAction } from 'botbuilder';
import { says, submits, type Client } from './channels';

/**
 * Reading the bot's replies as a person would: the text they show (message text, hero cards, Adaptive Cards,
 * suggested actions) and the buttons they offer — and pressing a button the way each client does.
 */

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every string a person sees in one reply, joined by newlines. */
export function visibleText(activity: Partial<Activity>): string {
  const parts: string[] = [];
  if (activity.text) parts.push(activity.text);
  for (const attachment of activity.attachments ?? []) parts.push(...attachmentText(attachment));
  for (const action of activity.suggestedActions?.actions ?? []) parts.push(action.title);
  return parts.join('\n');
}

export function allText(replies: Partial<Activity>[]): string {
  return replies.map(visibleText).join('\n');
}

function attachmentText(attachment: Attachment): string[] {
  const content: unknown = attachment.content;
  if (!isJson(content)) return [];
  if (attachment.contentType === 'application/vnd.microsoft.card.hero') {
    const buttons = Array.isArray(content.buttons) ? content.buttons.filter(isJson) : [];
    return [content.title, content.subtitle, content.text, ...buttons.map((b) => b.title)].filter(
      (text): text is string => typeof text === 'string' && text.length > 0,
    );
  }
  const found: string[] = [];
  walk(content, (node) => {
    for (const key of ['text', 'title', 'value', 'placeholder']) {
      const text = node[key];
      if (typeof text === 'string' && text.length > 0) found.push(text);
    }
  });
  return found;
}

function walk(node: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(node)) node.forEach((child) => walk(child, visit));
  else if (isJson(node)) {
    visit(node);
    Object.values(node).forEach((child) => walk(child, visit));
  }
}

export function adaptiveCards(replies: Partial<Activity>[]): Json[] {
  return replies.flatMap((reply) =>
    (reply.attachments ?? [])
      .filter((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')
      .map((attachment) => attachment.content as Json),
  );
}

export interface Button {
  title: string;
  /** The activity the client sends when the button is pressed. */
  press(client: Client): Partial<Activity>;
  /** Where the button was: suggested actions, a hero card, an Adaptive Card action or drop-down choice. */
  kind: 'suggestedAction' | 'heroCard' | 'adaptiveCard';
}

/** Buttons on the last replies; for Adaptive Card drop-downs each choice counts as a button. */
export function buttonsOf(replies: Partial<Activity>[]): Button[] {
  const buttons: Button[] = [];
  for (const reply of replies) {
    for (const action of reply.suggestedActions?.actions ?? [])
      buttons.push(cardActionButton(action, 'suggestedAction'));
    for (const attachment of reply.attachments ?? []) {
      const content: unknown = attachment.content;
      if (!isJson(content)) continue;
      if (attachment.contentType === 'application/vnd.microsoft.card.hero') {
        const actions = Array.isArray(content.buttons) ? (content.buttons as CardAction[]) : [];
        buttons.push(...actions.map((action) => cardActionButton(action, 'heroCard')));
      } else if (attachment.contentType === 'application/vnd.microsoft.card.adaptive') {
        buttons.push(...adaptiveButtons(content));
      }
    }
  }
  return buttons;
}

function cardActionButton(action: CardAction, kind: Button['kind']): Button {
  return {
    title: action.title,
    kind,
    press: (client) => {
      if (action.type === 'messageBack') {
        return {
          ...says(client, String(action.text ?? ''), { mention: false }),
          value: action.value as Json,
        };
      }
      return says(client, String(action.value), { mention: false });
    },
  };
}

/**
 * Action.Submit buttons; a submit that sits in the same card as an Input.ChoiceSet (a drop-down, or the
 * "change an answer" list of a ShowCard) counts once per choice, sent with that choice's value as the client does.
 */
function adaptiveButtons(card: Json): Button[] {
  const buttons: Button[] = [];
  for (const scope of cardScopes(card)) {
    for (const action of scope.submits) {
      const data = isJson(action.data) ? action.data : {};
      const inputs = scope.choiceSets.filter((set) => !(String(set.id) in data));
      if (inputs.length === 0) {
        buttons.push({
          title: String(action.title),
          kind: 'adaptiveCard',
          press: (client) => submits(client, data),
        });
        continue;
      }
      for (const set of inputs) {
        const choices = Array.isArray(set.choices) ? set.choices.filter(isJson) : [];
        for (const choice of choices) {
          buttons.push({
            title: String(choice.title),
            kind: 'adaptiveCard',
            press: (client) => submits(client, { ...data, [String(set.id)]: choice.value }),
          });
        }
      }
    }
  }
  return buttons;
}

interface CardScope {
  choiceSets: Json[];
  submits: Json[];
}

/** Each (sub)card with the inputs and submit actions that belong to it: a ShowCard's card is its own scope. */
function cardScopes(card: Json): CardScope[] {
  const scope: CardScope = { choiceSets: [], submits: [] };
  const nested: CardScope[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isJson(node)) return;
    if (node.type === 'Input.ChoiceSet') scope.choiceSets.push(node);
    if (node.type === 'Action.Submit') scope.submits.push(node);
    for (const [key, child] of Object.entries(node)) {
      if (key === 'card' && isJson(child) && child.type === 'AdaptiveCard') nested.push(...cardScopes(child));
      else visit(child);
    }
  };
  Object.values(card).forEach(visit);
  return [scope, ...nested];
}

/** The button with this title, or a clear failure naming the buttons there are. */
export function button(replies: Partial<Activity>[], title: string): Button {
  const buttons = buttonsOf(replies);
  const found = buttons.filter((candidate) => candidate.title === title).pop();
  if (!found) {
    throw new Error(
      `no button "${title}" among: ${buttons.map((candidate) => candidate.title).join(' | ') || '(none)'}`,
    );
  }
  return found;
}
