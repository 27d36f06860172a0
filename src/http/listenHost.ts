import { ConfigError } from '../config';
import type { Logger } from '../logger';
import type { SecurityOptions } from './settings';

/**
 * The interface to listen on. Without an app id nothing is authenticated, so by default only this machine may
 * talk to the bot. With an app id every request is authenticated and the bot listens on all interfaces, as App
 * Service expects. HOST overrides; but a HOST other machines can reach, without an app id, would let anyone on the
 * network talk to the bot as any user: start-up refuses it unless ALLOW_UNAUTHENTICATED_REMOTE=true says the
 * exposure is intended (a container that fronts its own auth), and then logs a warning at every start.
 */
export function listenHost(
  options: Pick<SecurityOptions, 'appId' | 'allowUnauthenticatedRemote'>,
  host: string | undefined,
  log?: Logger,
): string {
  const chosen = host?.trim() || (options.appId ? '0.0.0.0' : '127.0.0.1');
  if (options.appId || isLoopback(chosen)) return chosen;
  if (!options.allowUnauthenticatedRemote) {
    throw new ConfigError(
      `HOST=${chosen} without MicrosoftAppId would serve unauthenticated requests from other machines; ` +
        'set MicrosoftAppId, or ALLOW_UNAUTHENTICATED_REMOTE=true if that is intended (see README, Security)',
    );
  }
  log?.warn(
    { event: 'unauthenticatedRemote', host: chosen },
    'UNAUTHENTICATED: no MicrosoftAppId, listening beyond loopback; anyone who reaches this port can talk to the bot',
  );
  return chosen;
}

/** localhost, ::1 or 127.x.y.z (brackets around an IPv6 literal allowed). */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
