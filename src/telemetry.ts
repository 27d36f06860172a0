import { createHash } from 'node:crypto';
import { TelemetryLoggerMiddleware, type BotTelemetryClient, type Middleware } from 'botbuilder';
import type { Logger } from './logger';

export interface TelemetrySettings {
  /** APPLICATIONINSIGHTS_CONNECTION_STRING: telemetry is off without it. */
  connectionString?: string;
  /**
   * TELEMETRY_LOG_PERSONAL_INFORMATION: message text, names and user ids as they are. Off by default: text and names
   * are left out, user ids are replaced by a hash (distinct users can still be counted), conversation names dropped.
   */
  logPersonalInformation: boolean;
}

/** What the composition root adds: the adapter middleware (per-activity events) and the client for the dialogs. */
export interface Telemetry {
  client: BotTelemetryClient;
  middleware: Middleware;
  /** Sends what is queued (at shutdown; the SDK otherwise sends every 15 s). */
  flush(): Promise<void>;
}

/** Event properties that identify a person (Bot Framework's TelemetryConstants names and its Teams properties). */
const PERSONAL_IDS = ['fromId', 'recipientId', 'TeamsUserAadObjectId'];
const PERSONAL_NAMES = [
  'fromName',
  'recipientName',
  'conversationName',
  'TeamsTeamInfo',
  'text',
  'speak',
  'attachments',
];

const pseudonym = (id: string) => `h:${createHash('sha256').update(id).digest('base64url').slice(0, 16)}`;

interface Envelope {
  tags?: Record<string, string>;
  data?: {
    baseType?: string;
    baseData?: { properties?: Record<string, string>; url?: string; data?: string };
  };
}

/** What leaves the process: user ids hashed, names and text dropped, no query strings, no client IP. */
export function redactEnvelope(envelope: Envelope): boolean {
  const tags = envelope.tags ?? {};
  for (const tag of Object.keys(tags)) {
    if (tag === 'ai.user.id' || tag === 'ai.user.authUserId') tags[tag] = pseudonym(tags[tag]);
    if (tag === 'ai.location.ip') delete tags[tag];
  }
  const data = envelope.data?.baseData;
  if (!data) return true;
  const properties = data.properties ?? {};
  for (const name of PERSONAL_IDS) if (properties[name]) properties[name] = pseudonym(properties[name]);
  for (const name of PERSONAL_NAMES) delete properties[name];
  // request and dependency URLs: tokens and ids travel in query strings
  if (typeof data.url === 'string') data.url = data.url.split('?')[0];
  if (envelope.data?.baseType === 'RemoteDependencyData' && typeof data.data === 'string')
    data.data = data.data.split('?')[0];
  return true;
}

/**
 * Application Insights through Bot Framework's own integration: BotMessageReceived / BotMessageSend / … per
 * activity (TelemetryLoggerMiddleware, message text left out unless logPersonalInformation), the Waterfall and
 * prompt events of every dialog (via the dialogs' telemetryClient), requests, dependencies, exceptions and
 * performance counters. The SDK is imported only when a connection string is set, so a bot without telemetry
 * carries none of it in memory.
 */
export async function startTelemetry(
  settings: TelemetrySettings,
  log: Logger,
): Promise<Telemetry | undefined> {
  if (!settings.connectionString) return undefined;
  // the SDK's own usage reporting (statsbeat) goes to a Microsoft endpoint of its choosing, not the one configured
  process.env.APPLICATION_INSIGHTS_NO_STATSBEAT ??= 'true';
  const [{ ApplicationInsightsTelemetryClient, TelemetryInitializerMiddleware }, { Configuration }] =
    await Promise.all([import('botbuilder-applicationinsights'), import('applicationinsights')]);
  const client = new ApplicationInsightsTelemetryClient(settings.connectionString);
  // console output is the logs' job (JSON lines on stdout)
  Configuration.setAutoCollectConsole(false, false);
  if (!settings.logPersonalInformation) client.defaultClient.addTelemetryProcessor(redactEnvelope);
  const logger = new TelemetryLoggerMiddleware(client, settings.logPersonalInformation);
  const middleware = new TelemetryInitializerMiddleware(logger, true);
  log.info(
    { event: 'telemetry', logPersonalInformation: settings.logPersonalInformation },
    'sending telemetry to Application Insights',
  );
  return {
    client,
    middleware,
    flush: () => new Promise((resolve) => client.defaultClient.flush({ callback: () => resolve() })),
  };
}
