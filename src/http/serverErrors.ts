import type { Response } from 'restify';
import type { Logger } from '../logger';

/** What a caller reads when the bot fails: a plain sentence; the details go to the log. */
export const SERVER_ERROR_MESSAGE = 'The bot could not handle this request. Please try again later.';

/**
 * CloudAdapter answers a failure it cannot handle (the OpenID metadata unreachable, a bug past onTurnError) with
 * 500 and the error's message as the body; the caller gets a plain sentence instead and the details go to the log.
 */
export function hideServerErrors(res: Response, log?: Logger): void {
  const send = res.send.bind(res) as (...args: unknown[]) => unknown;
  const replacement = (...args: unknown[]) => {
    const status = typeof args[0] === 'number' ? args[0] : res.statusCode;
    if (status < 500) return send(...args);
    const detail = typeof args[0] === 'number' ? args[1] : args[0];
    log?.error({ event: 'serverError', status, detail: String(detail).slice(0, 500) }, 'request failed');
    return send(status, { error: SERVER_ERROR_MESSAGE });
  };
  res.send = replacement as Response['send'];
}
