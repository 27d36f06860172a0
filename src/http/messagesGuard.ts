import type { Next, Request, Response, Server } from 'restify';
import type { Logger } from '../logger';
import { activityProblem } from './activityShape';
import { hideServerErrors } from './serverErrors';
import { serviceUrlAllowed } from './serviceUrl';
import { DEFAULT_MAX_BODY_BYTES, type SecurityOptions } from './settings';

const UNTRUSTED_SERVICE_URL =
  'serviceUrl is not allowed for an unauthenticated bot: loopback only, unless ALLOWED_SERVICE_HOSTS lists it ' +
  '(e.g. ALLOWED_SERVICE_HOSTS=botframework for activities shaped like Teams or Web Chat)';

function refuse(res: Response, next: Next, status: number, message: string): void {
  res.setHeader('Connection', 'close');
  res.send(status, { error: message });
  next(false);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Guards for the messaging endpoint, registered on the server before it listens (startServer's `extend`):
 * - before the body is read: 415 unless the content type is JSON, 413 when Content-Length exceeds the limit
 *   (a chunked body is capped by bodyParser's maxBodySize, which startServer sets to the same limit; a compressed
 *   body never gets this far, see contentEncoding.ts);
 * - with an app id: 401 at once for a request with no bearer token (CloudAdapter then checks the token itself);
 * - 400 for fields of the wrong type that botbuilder would trip over (see activityProblem);
 * - without an app id: 403 for a serviceUrl that is not trusted, so an unauthenticated bot never sends replies to a
 *   host the caller chose.
 * Other routes (Direct Line, the web page, /healthz) are left alone.
 */
export function protectMessagesEndpoint(
  server: Server,
  options: SecurityOptions = {},
  log?: Logger,
  path = '/api/messages',
): void {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const isMessages = (req: Request) => req.method === 'POST' && req.getPath() === path;

  server.pre((req: Request, res: Response, next: Next) => {
    if (!isMessages(req)) return next();
    hideServerErrors(res, log);
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return refuse(res, next, 415, 'Content-Type must be application/json');
    if (req.getContentLength() > maxBodyBytes) {
      return refuse(res, next, 413, `Request body is larger than ${maxBodyBytes} bytes`);
    }
    return next();
  });

  server.use((req: Request, res: Response, next: Next) => {
    if (!isMessages(req)) return next();
    if (options.appId && !/^Bearer\s+\S/i.test(req.headers.authorization ?? '')) {
      log?.warn({ event: 'tokenRejected', reason: 'no bearer token' }, 'refused a request without a token');
      return refuse(res, next, 401, 'Unauthorized');
    }
    // a body that is not an activity is refused by the endpoint itself (400)
    if (!isRecord(req.body)) return next();
    const problem = activityProblem(req.body);
    if (problem) return refuse(res, next, 400, `Not a Bot Framework activity (${problem}).`);
    if (options.appId) return next();
    const serviceUrl = req.body.serviceUrl;
    if (serviceUrlAllowed(serviceUrl, options.allowedServiceHosts)) return next();
    log?.warn(
      { event: 'serviceUrlRefused', serviceUrl: String(serviceUrl).slice(0, 200) },
      'serviceUrl not allowed',
    );
    return refuse(res, next, 403, UNTRUSTED_SERVICE_URL);
  });
}
