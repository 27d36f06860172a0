import { z } from 'zod';

/** A blank line in .env (`MicrosoftAppId=`) means "not set", as in every Bot Framework sample. */
const optionalText = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().trim().min(1).optional(),
);

/** The standard Azure Bot settings, read from the environment at start-up. */
const Environment = z
  .object({
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    ),
    MicrosoftAppTenantId: optionalText,
    PORT: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.coerce.number().int().min(0).max(65535).default(3978),
    ),
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

/** Thrown with one line that names every bad setting, so start-up fails readably. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): BotConfig {
  const parsed = Environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new ConfigError(`Invalid configuration (see .env.example): ${problems}`);
  }
  const { PORT, ...auth } = parsed.data;
  return { auth, authenticated: Boolean(auth.MicrosoftAppId), port: PORT };
}
