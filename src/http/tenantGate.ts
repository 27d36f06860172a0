import type { Middleware, TurnContext } from 'botbuilder';
import type { Lang } from '../knowledge/schema';
import type { Logger } from '../logger';
import { securityMessages } from '../messages/security';
import { languageFromLocale } from '../understand/locale';

/** The tenant an activity comes from: Teams puts it in channelData, other channels in the conversation. */
export function tenantOf(activity: TurnContext['activity']): string | undefined {
  const channelData: unknown = activity.channelData;
  const fromChannelData =
    typeof channelData === 'object' && channelData !== null
      ? (channelData as { tenant?: { id?: unknown } }).tenant?.id
      : undefined;
  const tenant = typeof fromChannelData === 'string' ? fromChannelData : activity.conversation?.tenantId;
  return typeof tenant === 'string' && tenant.trim() ? tenant.trim().toLowerCase() : undefined;
}

/** The user's language as the channel reports it; the bot's own choice (if the user switched) can be injected. */
export function localeLang(context: TurnContext): Lang {
  return languageFromLocale(context.activity.locale);
}

/**
 * Adapter middleware: when ALLOWED_TENANT_IDS is set, activities from any other tenant (or none) get a polite
 * refusal and never reach the bot, so no state is created and nothing is routed. Tenant ids are only trustworthy
 * with authentication on (MicrosoftAppId), since Teams signs what it sends.
 */
export class TenantGate implements Middleware {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    allowedTenantIds: readonly string[] = [],
    private readonly log?: Logger,
    private readonly langOf: (context: TurnContext) => Lang | Promise<Lang> = localeLang,
  ) {
    this.allowed = new Set(allowedTenantIds.map((id) => id.trim().toLowerCase()).filter(Boolean));
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (this.allowed.size === 0) return next();
    const tenant = tenantOf(context.activity);
    if (tenant && this.allowed.has(tenant)) return next();
    this.log?.warn(
      { event: 'tenantRefused', tenant, conversationId: context.activity.conversation?.id },
      'activity from a tenant that is not allowed',
    );
    if (context.activity.type === 'message') {
      await context.sendActivity(securityMessages.tenantNotAllowed[await this.langOf(context)]);
    }
  }
}
