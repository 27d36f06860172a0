import { randomUUID } from 'node:crypto';
import { ActivityTypes, type Activity, type ChannelAccount, type ConversationAccount } from 'botbuilder';

/**
 * Activities shaped as each client sends them, so a test says which client it stands for:
 * Teams personal chat, a Teams channel (the bot only hears @mentions there), a Teams group chat,
 * Bot Framework Web Chat, and the Bot Framework Emulator.
 */
export type ClientKind = 'teamsPersonal' | 'teamsChannel' | 'teamsGroupChat' | 'webchat' | 'emulator';

export interface Client {
  kind: ClientKind;
  channelId: 'msteams' | 'webchat' | 'emulator';
  locale: string;
  /** Web Chat and the Emulator send no conversationType; Teams always does. */
  conversation: Omit<ConversationAccount, 'conversationType'> & { conversationType?: string };
  user: ChannelAccount;
  bot: ChannelAccount;
  serviceUrl: string;
}

const BOT_NAME = 'Partner Support Router';

/** A fresh conversation for one client; each call gets its own conversation id. */
export function client(kind: ClientKind, locale = 'en-US'): Client {
  const id = randomUUID();
  switch (kind) {
    case 'teamsPersonal':
    case 'teamsChannel':
    case 'teamsGroupChat': {
      const conversationType = {
        teamsPersonal: 'personal',
        teamsChannel: 'channel',
        teamsGroupChat: 'groupChat',
      }[kind];
      return {
        kind,
        channelId: 'msteams',
        locale,
        conversation: {
          id:
            kind === 'teamsChannel'
              ? `19:${id}@thread.skype;messageid=1700000000000`
              : kind === 'teamsGroupChat'
                ? `19:${id}@thread.v2`
                : `a:${id}`,
          conversationType,
          isGroup: kind !== 'teamsPersonal',
          tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
          name: '',
        },
        user: { id: `29:${id}`, name: 'Aiko Partner', aadObjectId: randomUUID() },
        bot: { id: '28:00000000-0000-0000-0000-00000000b07', name: BOT_NAME },
        serviceUrl: 'https://smba.trafficmanager.net/jp/',
      };
    }
    case 'webchat':
      return {
        kind,
        channelId: 'webchat',
        locale,
        conversation: { id: `${id}-jp`, isGroup: false, name: '' },
        user: { id: `dl_${id}`, name: 'Partner' },
        bot: { id: 'partner-support-router@abc', name: BOT_NAME },
        serviceUrl: 'https://webchat.botframework.com/',
      };
    case 'emulator':
      return {
        kind,
        channelId: 'emulator',
        locale,
        conversation: { id: `${id}|livechat`, isGroup: false, name: '' },
        user: { id: randomUUID(), name: 'User', role: 'user' },
        bot: { id: randomUUID(), name: 'Bot', role: 'bot' },
        serviceUrl: 'http://localhost:53000',
      };
  }
}

function base(c: Client, type: string): Partial<Activity> {
  return {
    type,
    id: randomUUID(),
    channelId: c.channelId,
    serviceUrl: c.serviceUrl,
    conversation: { ...c.conversation } as ConversationAccount,
    from: { ...c.user },
    recipient: { ...c.bot },
    locale: c.locale,
    timestamp: new Date(),
    ...(c.channelId === 'msteams' && {
      channelData: {
        tenant: { id: c.conversation.tenantId },
        ...(c.kind === 'teamsChannel' && teamsChannelData()),
      },
    }),
  };
}

function teamsChannelData() {
  return { team: { id: '19:team@thread.skype' }, channel: { id: '19:general@thread.skype' } };
}

/** The user types a message. In a Teams channel or group chat pass `mention: true` to @mention the bot. */
export function says(c: Client, text: string, options: { mention?: boolean } = {}): Partial<Activity> {
  const mention = options.mention ?? c.kind === 'teamsChannel';
  if (!mention || c.channelId !== 'msteams')
    return { ...base(c, ActivityTypes.Message), text, textFormat: 'plain' };
  const at = `<at>${c.bot.name}</at>`;
  return {
    ...base(c, ActivityTypes.Message),
    text: `${at} ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', mentioned: { ...c.bot }, text: at }],
  };
}

/** The user presses an Adaptive Card Action.Submit (or a messageBack button): `value`, and no `text`. */
export function submits(c: Client, value: Record<string, unknown>): Partial<Activity> {
  return { ...base(c, ActivityTypes.Message), value };
}

/** The user (and, in Teams, the bot itself) joins the conversation. */
export function joins(c: Client): Partial<Activity> {
  const membersAdded = c.channelId === 'msteams' ? [{ ...c.bot }] : [{ ...c.bot }, { ...c.user }];
  return { ...base(c, ActivityTypes.ConversationUpdate), membersAdded };
}
