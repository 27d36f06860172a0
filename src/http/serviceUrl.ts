import { isLoopback } from './listenHost';

/** Hosts Azure Bot Service calls back from (public cloud). Only trusted when configured, see serviceUrlAllowed. */
export const BOT_FRAMEWORK_SERVICE_HOSTS = [
  '*.botframework.com',
  'smba.trafficmanager.net',
  '*.trafficmanager.net',
];

function hostMatches(hostname: string, pattern: string): boolean {
  const host = hostname.toLowerCase();
  const rule = pattern.toLowerCase();
  if (rule.startsWith('*.')) return host.endsWith(rule.slice(1)) && host.length > rule.length - 1;
  return host === rule;
}

/**
 * Whether the bot may call this serviceUrl back when requests are not authenticated: loopback always, other hosts
 * only when listed. Without this, anyone who can reach an unauthenticated bot can make it POST to any URL.
 */
export function serviceUrlAllowed(serviceUrl: unknown, allowedHosts: readonly string[] = []): boolean {
  if (typeof serviceUrl !== 'string') return false;
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  if (isLoopback(url.hostname)) return true;
  const patterns = allowedHosts.flatMap((host) =>
    host === 'botframework' ? BOT_FRAMEWORK_SERVICE_HOSTS : [host],
  );
  // a remote host gets our replies only over TLS
  return url.protocol === 'https:' && patterns.some((pattern) => hostMatches(url.hostname, pattern));
}
