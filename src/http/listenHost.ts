import type { SecurityOptions } from './settings';

/**
 * The interface to listen on. Without an app id nothing is authenticated, so by default only this machine may
 * talk to the bot; HOST overrides (e.g. "0.0.0.0" in a container that fronts its own auth). With an app id every
 * request is authenticated and the bot listens on all interfaces, as App Service expects.
 */
export function listenHost(options: Pick<SecurityOptions, 'appId'>, host = process.env.HOST): string {
  if (host?.trim()) return host.trim();
  return options.appId ? '0.0.0.0' : '127.0.0.1';
}

/** localhost, ::1 or 127.x.y.z (brackets around an IPv6 literal allowed). */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
