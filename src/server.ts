import type { AddressInfo } from 'node:net';
import restify from 'restify';
import {
  ActivityTypes,
  type Activity,
  type CloudAdapter,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import { z } from 'zod';
import type { Logger } from 'pino';
import { refuseEncodedBodies } from './http/contentEncoding';
import { SERVER_ERROR_MESSAGE } from './http/serverErrors';
import { DEFAULT_MAX_BODY_BYTES } from './http/settings';

/** The bot as the server sees it: something that runs one turn (an ActivityHandler). */
export interface TurnHandler {
  run(context: TurnContext): Promise<void>;
}

export interface ServerOptions {
  /** A CloudAdapter with its onTurnError already set (built by the composition root). */
  adapter: CloudAdapter;
  bot: TurnHandler;
  log: Logger;
  /** 0 picks a free port (tests). */
  port: number;
  /** Interface to listen on; defaults to loopback. */
  host?: string;
  /** Largest request body accepted on any route; bigger ones get 413. */
  maxBodyBytes?: number;
  /**
   * Adds routes and middleware (Direct Line, the web chat page, health, security checks) before the server
   * starts listening. Middleware added with `server.use` sees /api/messages bodies already parsed; other
   * routes read their own bodies (with their own limits).
   */
  extend?: (server: restify.Server) => void | Promise<void>;
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:3978 */
  url: string;
  /** The Bot Framework messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  messagesUrl: string;
  server: restify.Server;
  close(): Promise<void>;
}

export const MESSAGES_PATH = '/api/messages';

const knownActivityTypes: ReadonlySet<string> = new Set(Object.values(ActivityTypes));

/**
 * Ids become state keys and log fields. Teams' longest (a channel thread with its message id) are about 100
 * characters; a 100 KB id left half a megabyte behind per request.
 */
export const MAX_ID_LENGTH = 512;

const boundedId = z.string().max(MAX_ID_LENGTH, `is longer than ${MAX_ID_LENGTH} characters`);
const id = boundedId.min(1);

/** The fields every turn needs (state keys, replies); anything else passes through untouched. */
const IncomingActivity = z
  .object({
    type: z.string().refine((type) => knownActivityTypes.has(type), 'is not a Bot Framework activity type'),
    channelId: id,
    id: boundedId.optional(),
    replyToId: boundedId.optional(),
    conversation: z.looseObject({ id }),
    from: z.looseObject({ id }),
    recipient: z.looseObject({ id }),
    text: z.string().optional(),
    locale: z.string().optional(),
  })
  .loose();

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { adapter, bot, log } = options;
  const server = restify.createServer({ name: 'partner-support-router', handleUncaughtExceptions: false });
  // before any route reads a body: compressed bodies are refused, so every size limit counts parsed bytes
  server.pre(refuseEncodedBodies);
  const parseActivity = restify.plugins.bodyParser({
    maxBodySize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    mapParams: false,
  });
  server.use(onlyOn(MESSAGES_PATH, parseActivity));

  if (options.extend) await options.extend(server);

  server.post(MESSAGES_PATH, async (req, res) => {
    const checked = IncomingActivity.safeParse(req.body);
    if (!checked.success) {
      const problem = checked.error.issues
        .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
        .join('; ');
      log.warn({ problem }, 'refused a request that is not a Bot Framework activity');
      res.send(400, { error: `Not a Bot Framework activity (${problem}).` });
      return;
    }
    const activity = withDates(req.body as Activity);
    const authorization = req.headers.authorization ?? '';
    try {
      const processor = adapter as unknown as ActivityProcessor;
      const invokeResponse = await processor.processActivity(authorization, activity, (context) =>
        bot.run(context),
      );
      const status = invokeResponse?.status ?? 200;
      if (invokeResponse?.body !== undefined) {
        res.send(status, invokeResponse.body);
      } else {
        // as CloudAdapter does: a status alone (e.g. 501 for an invoke the bot does not implement) is not a failure
        res.status(status);
        res.end();
      }
    } catch (error) {
      const status = error instanceof AuthenticationError && error.statusCode < 500 ? 401 : 500;
      const reason = error instanceof Error ? error.message.split('\n')[0].slice(0, 200) : String(error);
      if (status === 401) {
        log.warn({ event: 'tokenRejected', reason }, 'refused a request: Bot Framework token not accepted');
        res.send(401, { error: 'Unauthorized' });
      } else {
        log.error({ event: 'serverError', status, reason }, 'request failed');
        res.send(500, { error: SERVER_ERROR_MESSAGE });
      }
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info({ url: `${url}${MESSAGES_PATH}` }, 'bot listening');

  return {
    url,
    messagesUrl: `${url}${MESSAGES_PATH}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeIdleConnections();
      }),
  };
}

/**
 * The step of CloudAdapter.process that authenticates and runs the turn. The endpoint calls it itself because
 * process() prints every rejected token's stack to stderr and answers 401 with the SDK's error text.
 */
interface ActivityProcessor {
  processActivity(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined>;
}

/** As CloudAdapter.process does: timestamps arrive as ISO strings; botbuilder keeps both the text and the Date. */
function withDates(activity: Activity): Activity {
  const fields = [
    ['timestamp', 'rawTimestamp'],
    ['expiration', 'rawExpiration'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const;
  const dated = activity as unknown as Record<string, unknown>;
  for (const [field, raw] of fields) {
    const value = dated[field];
    if (typeof value === 'string') {
      dated[raw] = value;
      dated[field] = new Date(value);
    }
  }
  return activity;
}

/** Runs restify handlers (a chain such as bodyParser's) for one path only, passing other requests through. */
function onlyOn(path: string, handlers: restify.RequestHandler[]): restify.RequestHandler {
  return (req, res, next) => {
    if (req.getPath() !== path) return next();
    let index = 0;
    const step: restify.Next = (outcome?: unknown) => {
      if (outcome !== undefined) return next(outcome as Error | false);
      const handler = handlers[index++];
      return handler ? handler(req, res, step) : next();
    };
    return step();
  };
}
