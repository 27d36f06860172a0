import { z } from 'zod';
import { ConfigError, flag, parseEnvironment, setting, type Env } from '../settings/environment';

/** Bot Framework caps an activity at 256 KB; anything bigger is not a real channel message. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** The HTTP edge's settings: who may call, how big a request may be, which tenants are served. */
export interface SecurityOptions {
  /** MicrosoftAppId; when set, CloudAdapter authenticates every request and serviceUrl comes from a signed token. */
  appId?: string;
  /** Largest request body accepted on /api/messages, in bytes. */
  maxBodyBytes?: number;
  /**
   * Extra serviceUrl hosts trusted without authentication, besides loopback ("*.example.com" matches subdomains).
   * The word "botframework" stands for BOT_FRAMEWORK_SERVICE_HOSTS.
   */
  allowedServiceHosts?: readonly string[];
  /** Azure AD tenant ids served; empty or absent means every tenant. */
  allowedTenantIds?: readonly string[];
  /** ALLOW_UNAUTHENTICATED_REMOTE: without an app id, a HOST beyond loopback is refused unless this is true. */
  allowUnauthenticatedRemote?: boolean;
}

const commaList = <T extends z.ZodType<string>>(item: T) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((entry) => entry.trim())
            .filter(Boolean)
        : [],
    z.array(item),
  );

const SecurityEnvironment = z.object({
  MAX_BODY_BYTES: setting(
    z.coerce
      .number()
      .int()
      .min(1024)
      .max(10 * 1024 * 1024)
      .default(DEFAULT_MAX_BODY_BYTES),
  ),
  ALLOWED_SERVICE_HOSTS: commaList(
    z
      .string()
      .regex(/^(botframework|(\*\.)?[a-z0-9.-]+)$/i, 'must be a host name, *.domain or "botframework"'),
  ),
  ALLOWED_TENANT_IDS: commaList(z.guid('must be an Azure AD tenant id (a GUID)')),
  ALLOW_UNAUTHENTICATED_REMOTE: flag,
});

/**
 * Reads and checks the security settings (names documented in .env.example); throws ConfigError naming each bad one.
 * The app id is the Azure Bot's setting (src/config.ts): the composition root adds it.
 */
export function securityOptionsFromEnv(env: Env): Omit<SecurityOptions, 'appId'> {
  const { MAX_BODY_BYTES, ALLOWED_SERVICE_HOSTS, ALLOWED_TENANT_IDS, ALLOW_UNAUTHENTICATED_REMOTE } =
    parseEnvironment(
      SecurityEnvironment,
      env,
      (problems) => new ConfigError(`Invalid security configuration (see .env.example): ${problems}`),
    );
  return {
    maxBodyBytes: MAX_BODY_BYTES,
    allowedServiceHosts: ALLOWED_SERVICE_HOSTS,
    allowedTenantIds: ALLOWED_TENANT_IDS,
    allowUnauthenticatedRemote: ALLOW_UNAUTHENTICATED_REMOTE,
  };
}
