import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Activity, CloudAdapter, TurnContext } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../logger';
import {
  ConversationLimitError,
  ConversationStore,
  defaultLimits,
  type Conversation,
  type DirectLineLimits,
  type WireActivity,
} from './conversations';
import { bearerToken, HttpError, readJsonObject, sendError } from './http';
import { IssuanceLimiter } from './issuance';
import { DIRECT_LINE_PATH } from './paths';

/** What runs a turn: an ActivityHandler (its `run`) or a plain turn function. */
export type BotLogic =
  { run(context: TurnContext): Promise<void> } | ((context: TurnContext) => Promise<void>);

export interface LocalDirectLineOptions {
  adapter: Pick<CloudAdapter, 'processActivityDirect'>;
  bot: BotLogic;
  /** Where the adapter posts the bot's replies; defaults to this server's own loopback address. */
  serviceUrl?: string;
  /** The bot as the browser sees it. */
  botAccount?: { id: string; name: string };
  limits?: Partial<DirectLineLimits>;
  log?: Pick<Logger, 'warn' | 'error'>;
  now?: () => number;
}

export interface LocalDirectLine {
  conversations: ConversationStore;
  /**
   * A new conversation for the client making this request, within the per-client rate and slot limits:
   * 429 (too many from this client) or 503 (no slot left) with Retry-After otherwise.
   */
  open(req: Request, locale?: string): { conversation: Conversation; token: string };
  /** The base URL the adapter posts replies to (the served conversations' `serviceUrl`). */
  serviceUrl(): string;
}

/** The channel id the bot sees, as with Azure's Direct Line. */
const CHANNEL_ID = 'directline';
const ACCEPTED_TYPES = new Set(['message', 'event', 'typing']);
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/;

const text = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' ? value.slice(0, max) : undefined;
const locale = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length <= 35 && LOCALE.test(value) ? value : undefined;

/**
 * The Direct Line v3 subset Web Chat needs when polling (`createDirectLine({ domain, token, webSocket: false })`),
 * served by the bot's own server, plus the connector routes `CloudAdapter` posts the replies to.
 * For local and internal use without an Azure Bot (no MicrosoftAppId): the adapter must accept unauthenticated turns.
 */
export function registerLocalDirectLine(server: Server, options: LocalDirectLineOptions): LocalDirectLine {
  const limits: DirectLineLimits = { ...defaultLimits, ...options.limits };
  const now = options.now ?? Date.now;
  const store = new ConversationStore(limits, now);
  const issuance = new IssuanceLimiter(limits.issuanceBurst, limits.issuanceRefillMs, now);
  const open = (req: Request, startLocale?: string) => {
    // the socket's address: behind a reverse proxy every client shares one, so use Azure's Direct Line there
    const client = req.socket?.remoteAddress ?? 'unknown';
    const wait = issuance.take(client);
    if (wait > 0) {
      throw new HttpError(429, 'TooManyRequests', 'too many new conversations from this client', wait);
    }
    return newConversation(store, startLocale, client);
  };
  const bot = options.botAccount ?? { id: 'partner-support-router', name: 'Partner Support Router' };
  const log = options.log;
  const logic = typeof options.bot === 'function' ? options.bot : options.bot.run.bind(options.bot);
  // a random segment in the callback path: only the adapter, which reads it from serviceUrl, knows where to reply
  const connectorPath = `/directline-connector/${randomBytes(12).toString('base64url')}`;

  const serviceUrl = (): string => {
    if (options.serviceUrl) return options.serviceUrl.replace(/\/+$/, '') + connectorPath;
    const address = server.address() as AddressInfo | null;
    if (!address) throw new Error('registerLocalDirectLine: the server is not listening yet');
    const anyHost = ['0.0.0.0', '::', ''].includes(address.address);
    const host = anyHost ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}${connectorPath}`;
  };

  const authorized = (req: Request): Conversation => {
    const conversation = store.authorize(String(req.params.conversationId), bearerToken(req));
    if (!conversation)
      throw new HttpError(401, 'TokenInvalid', 'missing, wrong or expired token for this conversation');
    return conversation;
  };

  /**
   * Runs one turn after the conversation's previous one has finished or timed out (turns of one conversation never
   * overlap); rejects on error, or when the turn itself takes longer than `turnTimeoutMs`.
   */
  const runTurn = (conversation: Conversation, activity: WireActivity): Promise<void> => {
    // the bot alone learns the connector address; the browser's copy never carries it
    const forBot = { ...structuredClone(activity), serviceUrl: serviceUrl() } as unknown as Activity;
    const turn = settleWithin(conversation.lastTurn, limits.turnTimeoutMs).then(() =>
      rejectAfter(options.adapter.processActivityDirect('', forBot, logic), limits.turnTimeoutMs),
    );
    conversation.lastTurn = turn.catch(() => undefined);
    return turn;
  };

  const incoming = (conversation: Conversation, fields: WireActivity): WireActivity => ({
    ...fields,
    channelId: CHANNEL_ID,
    recipient: { ...bot, role: 'bot' },
    locale: fields.locale ?? conversation.locale,
  });

  const handle =
    (work: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await work(req, res);
      } catch (error) {
        if (error instanceof HttpError) return sendError(res, error);
        log?.error({ err: error }, 'direct line request failed');
        sendError(res, new HttpError(500, 'ServiceError', 'unexpected error'));
      }
    };

  const startConversation = (conversation: Conversation): void => {
    store.start(conversation);
    const user = { id: conversation.userId, role: 'user' };
    const update = incoming(conversation, {
      type: 'conversationUpdate',
      from: user,
      membersAdded: [{ id: bot.id, name: bot.name }, { id: conversation.userId }],
    });
    // the browser polls for the welcome, so the start does not wait for it (and never shows the update itself)
    runTurn(conversation, store.stamp(conversation, update)).catch((error: unknown) =>
      log?.warn({ err: error, conversationId: conversation.id }, 'welcome turn failed'),
    );
  };

  // Start a conversation: with the token from POST /api/directline/token, or with none (a fresh conversation).
  server.post(
    `${DIRECT_LINE_PATH}/conversations`,
    handle(async (req, res) => {
      const body = await readJsonObject(req, limits.maxClientBodyBytes);
      const token = bearerToken(req);
      const issued = token ? store.byBearer(token) : undefined;
      if (token && !issued) throw new HttpError(401, 'TokenInvalid', 'unknown or expired token');
      const { conversation, token: conversationToken } = issued ?? open(req, locale(body.locale));
      conversation.locale ??= locale(body.locale);
      const isNew = !conversation.started;
      if (isNew) startConversation(conversation);
      res.status(isNew ? 201 : 200);
      res.json({
        conversationId: conversation.id,
        token: conversationToken,
        expires_in: store.expiresIn(conversation),
      });
    }),
  );

  // Reconnect: Web Chat asks this when it was given a conversation id.
  server.get(
    `${DIRECT_LINE_PATH}/conversations/:conversationId`,
    handle(async (req, res) => {
      const conversation = authorized(req);
      res.json({
        conversationId: conversation.id,
        token: bearerToken(req),
        expires_in: store.expiresIn(conversation),
      });
    }),
  );

  server.post(
    `${DIRECT_LINE_PATH}/tokens/refresh`,
    handle(async (req, res) => {
      const found = store.byBearer(bearerToken(req));
      if (!found) throw new HttpError(401, 'TokenInvalid', 'unknown or expired token');
      const expiresIn = store.refresh(found.conversation);
      res.json({ conversationId: found.conversation.id, token: found.token, expires_in: expiresIn });
    }),
  );

  server.get(
    `${DIRECT_LINE_PATH}/conversations/:conversationId/activities`,
    handle(async (req, res) => {
      const conversation = authorized(req);
      const watermark = new URL(req.url ?? '', 'http://local').searchParams.get('watermark') ?? undefined;
      res.json(store.since(conversation, watermark));
    }),
  );

  // The browser sends an activity: stored (so Web Chat sees its echo and marks it sent), then the turn runs.
  server.post(
    `${DIRECT_LINE_PATH}/conversations/:conversationId/activities`,
    handle(async (req, res) => {
      const conversation = authorized(req);
      const body = await readJsonObject(req, limits.maxClientBodyBytes);
      const type = typeof body.type === 'string' ? body.type : '';
      if (!ACCEPTED_TYPES.has(type))
        throw new HttpError(400, 'BadArgument', 'type must be message, event or typing');
      if (!conversation.started) startConversation(conversation);
      const from = body.from as { name?: unknown } | undefined;
      const channelData = body.channelData as { clientActivityID?: unknown } | undefined;
      const clientActivityID = text(channelData?.clientActivityID, 100);
      const activity = store.append(
        conversation,
        incoming(conversation, {
          type,
          text: text(body.text, limits.maxClientBodyBytes),
          textFormat: text(body.textFormat, 20),
          value: body.value,
          name: text(body.name, 200),
          locale: locale(body.locale),
          localTimestamp: text(body.localTimestamp, 40),
          localTimezone: text(body.localTimezone, 60),
          channelData: clientActivityID ? { clientActivityID } : undefined,
          from: { id: conversation.userId, name: text(from?.name, 64), role: 'user' },
        }),
      );
      try {
        await runTurn(conversation, activity);
      } catch (error) {
        log?.warn({ err: error, conversationId: conversation.id }, 'turn failed');
        throw new HttpError(502, 'BotError', 'the bot could not handle this activity');
      }
      res.json({ id: activity.id });
    }),
  );

  // Connector routes: CloudAdapter posts the bot's replies here, because serviceUrl points at us.
  const replyFromBot = handle(async (req, res) => {
    const conversation = store.get(String(req.params.conversationId));
    if (!conversation) throw new HttpError(404, 'ConversationNotFound', 'no such conversation');
    const body = await readJsonObject(req, limits.maxBotBodyBytes);
    if (typeof body.type !== 'string') throw new HttpError(400, 'BadArgument', 'activity needs a type');
    const reply = { ...body, type: body.type, id: undefined, channelId: CHANNEL_ID };
    // traces carry the bot's internal state for the Emulator; the browser never gets them
    const id =
      body.type === 'trace'
        ? store.stamp(conversation, reply).id
        : store.append(conversation, withoutServiceUrl(reply)).id;
    res.json({ id });
  });
  const conversationPath = `${connectorPath}/v3/conversations/:conversationId/activities`;
  server.post(conversationPath, replyFromBot);
  server.post(`${conversationPath}/:activityId`, replyFromBot);
  // An update arrives as the same id again: Web Chat replaces the activity it already shows.
  server.put(
    `${conversationPath}/:activityId`,
    handle(async (req, res) => {
      const conversation = store.get(String(req.params.conversationId));
      if (!conversation) throw new HttpError(404, 'ConversationNotFound', 'no such conversation');
      const body = await readJsonObject(req, limits.maxBotBodyBytes);
      if (typeof body.type !== 'string') throw new HttpError(400, 'BadArgument', 'activity needs a type');
      const id = String(req.params.activityId);
      store.append(conversation, withoutServiceUrl({ ...body, type: body.type, channelId: CHANNEL_ID }), id);
      res.json({ id });
    }),
  );
  server.del(
    `${conversationPath}/:activityId`,
    handle(async (req, res) => {
      const conversation = store.get(String(req.params.conversationId));
      if (!conversation) throw new HttpError(404, 'ConversationNotFound', 'no such conversation');
      store.remove(conversation, String(req.params.activityId));
      res.status(200);
      res.end();
    }),
  );

  return { conversations: store, open, serviceUrl };
}

/** A fresh conversation, or 429 / 503 when the client or the server has no slot left for it. */
function newConversation(store: ConversationStore, startLocale: string | undefined, client: string) {
  try {
    return store.create(startLocale, client);
  } catch (error) {
    if (error instanceof ConversationLimitError) {
      throw error.reason === 'client'
        ? new HttpError(429, 'TooManyConversations', 'this client has too many open conversations', 60)
        : new HttpError(503, 'TooManyConversations', 'too many open conversations, try again later', 60);
    }
    throw error;
  }
}

function withoutServiceUrl(activity: WireActivity): WireActivity {
  const copy = { ...activity };
  delete copy.serviceUrl;
  return copy;
}

/** Resolves when `promise` settles or after `ms`, whichever comes first; never rejects. */
function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => (clearTimeout(timer), resolve()),
      () => (clearTimeout(timer), resolve()),
    );
  });
}

/** `promise`, or a rejection after `ms` if it has not settled by then. */
function rejectAfter<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`turn took longer than ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
