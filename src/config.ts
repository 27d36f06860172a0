import { z } from 'zod';
import { isLoopback } from './http/listenHost';
import type { EventOptions } from './insights/events';
import type { FeedbackOptions } from './insights/feedback';
import { securityOptionsFromEnv, type SecurityOptions } from './http/settings';
import { loadStorageSettings, type StorageSettings } from './storage/settings';
import { AZURE_DIRECT_LINE, type DirectLineOptions, type WebChatOptions } from './directline';
import type { TelemetrySettings } from './telemetry';
import {
  ConfigError,
  flag,
  onOff,
  optionalText,
  parseEnvironment,
  setting,
  type Env,
} from './settings/environment';

export { ConfigError } from './settings/environment';

/**
 * The bot's one settings module: `loadSettings()` is the only place the process environment is read. Every
 * variable is validated with zod (the Azure Bot's and the rest here; security and storage by the schemas beside
 * the code they configure, called from here; all read the same way, src/settings/environment.ts), .env.example
 * documents each, and the composition root hands each part only its own section.
 */

/** The standard Azure Bot settings, read from the environment at start-up. */
const Environment = z
  .object({
    MicrosoftAppId: optionalText(),
    MicrosoftAppPassword: optionalText(),
    MicrosoftAppType: setting(
      z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    ),
    MicrosoftAppTenantId: optionalText(),
    PORT: setting(z.coerce.number().int().min(0).max(65535).default(3978)),
  })
  .superRefine((env, ctx) => {
    if (!env.MicrosoftAppId) return;
    const needsTenant = env.MicrosoftAppType !== 'MultiTenant';
    if (needsTenant && !env.MicrosoftAppTenantId) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppTenantId'],
        message: `required when MicrosoftAppType is ${env.MicrosoftAppType}`,
      });
    }
    if (env.MicrosoftAppType === 'UserAssignedMSI' && env.MicrosoftAppPassword) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppPassword'],
        message: 'must be empty when MicrosoftAppType is UserAssignedMSI',
      });
    }
    if (env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppPassword'],
        message: 'required when MicrosoftAppId is set',
      });
    }
  });

export interface BotConfig {
  /** The Azure Bot's settings, in the names `ConfigurationBotFrameworkAuthentication` reads. */
  auth: {
    MicrosoftAppId?: string;
    MicrosoftAppPassword?: string;
    MicrosoftAppType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    MicrosoftAppTenantId?: string;
  };
  /** No app id: requests are not authenticated (local use with the Bot Framework Emulator). */
  authenticated: boolean;
  port: number;
}

const invalid = (problems: string) =>
  new ConfigError(`Invalid configuration (see .env.example): ${problems}`);

export function loadConfig(env: Env): BotConfig {
  const { PORT, ...auth } = parseEnvironment(Environment, env, invalid);
  return { auth, authenticated: Boolean(auth.MicrosoftAppId), port: PORT };
}

/** A Teams Workflows / incoming-webhook address: https, or http to this machine (a local test desk). */
function isWebhookUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
  } catch {
    return false;
  }
}

/** The settings that have no home schema of their own: listening, transcripts, web chat, telemetry, logs. */
const OtherEnvironment = z.object({
  HOST: optionalText(),
  TRANSCRIPTS_DIR: optionalText(),
  DIRECT_LINE_SECRET: optionalText(),
  DIRECT_LINE_DOMAIN: optionalText(z.string().regex(/^https:\/\/[^\s/]+/, 'must be an https URL')),
  WEBCHAT_FRAME_ANCESTORS: optionalText(),
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText(
    z.string().regex(/InstrumentationKey=/i, 'must be an Application Insights connection string'),
  ),
  TELEMETRY_LOG_PERSONAL_INFORMATION: flag,
  SUPPORT_DESK_WEBHOOK_URL: optionalText(
    z.string().refine(isWebhookUrl, 'must be an https URL (http only for localhost)'),
  ),
  ABANDON_AFTER_MINUTES: setting(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
  ),
  FEEDBACK_COMMENTS: onOff('on'),
  EVENTS_NOT_UNDERSTOOD_TEXT: onOff('on'),
  LOG_LEVEL: setting(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info')),
});

/** Everything the bot reads from its environment, checked, in the shape each part takes. */
export interface Settings {
  /** MicrosoftApp*, PORT. */
  bot: BotConfig;
  /** HOST: the interface to listen on (listenHost decides the default). */
  host?: string;
  /** MAX_BODY_BYTES, ALLOWED_SERVICE_HOSTS, ALLOWED_TENANT_IDS, ALLOW_UNAUTHENTICATED_REMOTE (the app id: `bot`). */
  security: Omit<SecurityOptions, 'appId'>;
  /** STORAGE_*, MEMORY_STATE_*. */
  storage: StorageSettings;
  /** TRANSCRIPTS_DIR. */
  transcriptsDir?: string;
  /** DIRECT_LINE_SECRET, DIRECT_LINE_DOMAIN. */
  directLine: Pick<DirectLineOptions, 'secret' | 'azureDomain'>;
  /** WEBCHAT_FRAME_ANCESTORS, and Azure's Direct Line origin when a secret is set. */
  webChat: WebChatOptions;
  /** APPLICATIONINSIGHTS_CONNECTION_STRING, TELEMETRY_LOG_PERSONAL_INFORMATION. */
  telemetry: TelemetrySettings;
  /** LOG_LEVEL. */
  logLevel: string;
  /** EVENTS_NOT_UNDERSTOOD_TEXT, ABANDON_AFTER_MINUTES: the trainers' events (src/insights/events.ts). */
  events: EventOptions;
  /** SUPPORT_DESK_WEBHOOK_URL: where a hand-off to a person is posted (src/handoff/webhook.ts); none: not offered. */
  handoff: { url?: string };
  /** FEEDBACK_COMMENTS: whether "no" offers a comment box (the only free text of the partner's that is stored). */
  feedback: FeedbackOptions;
}

/**
 * Reads and checks every setting (names and meanings in .env.example). Throws ConfigError (StorageError for the
 * storage settings) with one line naming each bad setting, so start-up fails readably.
 */
export function loadSettings(env: Env = process.env): Settings {
  const bot = loadConfig(env);
  const security = securityOptionsFromEnv(env);
  const storage = loadStorageSettings(env);
  const other = parseEnvironment(OtherEnvironment, env, invalid);
  return {
    bot,
    host: other.HOST,
    security,
    storage,
    transcriptsDir: other.TRANSCRIPTS_DIR,
    directLine: { secret: other.DIRECT_LINE_SECRET, azureDomain: other.DIRECT_LINE_DOMAIN },
    // the page may connect to Azure's Direct Line only when a secret is set
    webChat: {
      azureDomain: other.DIRECT_LINE_SECRET ? (other.DIRECT_LINE_DOMAIN ?? AZURE_DIRECT_LINE) : undefined,
      frameAncestors: other.WEBCHAT_FRAME_ANCESTORS,
    },
    telemetry: {
      connectionString: other.APPLICATIONINSIGHTS_CONNECTION_STRING,
      logPersonalInformation: other.TELEMETRY_LOG_PERSONAL_INFORMATION,
    },
    logLevel: other.LOG_LEVEL,
    events: {
      notUnderstoodText: other.EVENTS_NOT_UNDERSTOOD_TEXT,
      abandonAfterMinutes: other.ABANDON_AFTER_MINUTES,
    },
    handoff: { url: other.SUPPORT_DESK_WEBHOOK_URL },
    feedback: { comments: other.FEEDBACK_COMMENTS },
  };
}
