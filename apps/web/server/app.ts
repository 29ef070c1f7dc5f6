import { existsSync } from 'node:fs';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { NextFunction, Request, Response } from 'express';
import { createProxyMiddleware, RequestHandler as ProxyHandler } from 'http-proxy-middleware';
import { Gauge } from 'prom-client';
import { InvalidTokenError, JwtVerifier, mintToken, Principal } from '@pacer/auth';
import { Logger, recordReadiness, registry } from '@pacer/observability';
import { devPeople, publicView } from './auth/dev-people';
import { OidcIssuerUnavailableError, OidcSignIn, OidcSignInError, PendingLogin } from './auth/oidc-sign-in';
import { PROXIED_SERVICES, ProxiedService, WebConfig } from './config/web-config';
import { httpLog } from './http-log';
import { audienceOf, KpiChange, mayReceive } from './live/kpi-visibility';
import { lookUpRoster } from './live/roster-lookup';
import { sendProblem } from './problem-response';
import { SESSION_COOKIE, SessionData, SessionSealer } from './session/session-cookie';

/** The part of the KPI feed the routes use (a fake in unit specs would implement this). */
export interface LiveSource {
  readonly ready: boolean;
  subscribe(listener: (change: KpiChange) => void): () => void;
}

export interface WebAppDeps {
  config: WebConfig;
  logger: Logger;
  live: LiveSource;
}

export interface WebApp {
  app: express.Express;
  /** Ends every open SSE stream (SIGTERM), so the HTTP server can close. */
  closeStreams(): void;
}

const LOGIN_COOKIE = 'pacer_login';
const HEARTBEAT_MS = 15_000;
/** A browser that stops reading: past this much unsent SSE data the stream is dropped (it reconnects). */
const MAX_BUFFERED_BYTES = 1_000_000;
/** How often a stream re-reads the roster (a display's team members, a rep's teams). */
const ROSTER_REFRESH_MS = 5 * 60_000;

const liveConnections = new Gauge({ name: 'pacer_web_live_connections', help: 'Open /api/live streams', registers: [registry] });

/** The backend-for-frontend: session, sign-in, the services' APIs under /api, the live KPI stream and the SPA. */
export function createWebApp({ config, logger, live }: WebAppDeps): WebApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  const sealer = new SessionSealer(config.sessionSecret, config.sessionTtlSeconds);
  const verifier = new JwtVerifier(config.jwt);
  const oidc = config.oidc ? new OidcSignIn(config.oidc) : undefined;
  const streams = new Set<Response>();
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: !config.development, path: '/' };

  app.use(httpLog(logger));
  app.use(securityHeaders);
  app.use(cookieParser());

  app.get('/health/live', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/health/ready', (_req, res) => {
    const checks = { kafka: live.ready ? 'up' : 'down', app: existsSync(path.join(config.staticDir, 'index.html')) ? 'up' : 'down' };
    // Same readiness metrics as the services, so PacerNotReady / PacerReadinessFlapping cover web too.
    recordReadiness(checks.kafka === 'up' && checks.app === 'up');
    res.status(checks.kafka === 'up' && checks.app === 'up' ? 200 : 503).json({ status: checks.kafka === 'up' && checks.app === 'up' ? 'ok' : 'unavailable', checks });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  /** The signed-in person, or undefined; a development token is re-verified so its expiry holds. */
  async function sessionOf(req: Request): Promise<SessionData | undefined> {
    const session = await sealer.open((req.cookies as Record<string, string | undefined>)[SESSION_COOKIE]);
    if (!session) return undefined;
    if (session.via === 'dev') {
      try {
        const principal = await verifier.verify(session.token);
        return { ...session, principal };
      } catch (e) {
        if (e instanceof InvalidTokenError) return undefined;
        throw e;
      }
    }
    return session;
  }

  async function startSession(res: Response, session: SessionData): Promise<void> {
    res.cookie(SESSION_COOKIE, await sealer.seal(session), { ...cookieOptions, maxAge: sealer.maxAgeMs });
  }

  const unauthenticated = (res: Response): void => sendProblem(res, 401, 'unauthenticated', 'Sign in first: there is no valid session.');

  app.get('/api/session', wrap(async (req, res) => {
    const session = await sessionOf(req);
    if (!session) return unauthenticated(res);
    res.set('cache-control', 'no-store').json({ principal: { ...session.principal, ...(session.name ? { name: session.name } : {}) } });
  }));

  // What the screens need to know about the deployment (nothing secret; signed-in people only).
  app.get('/api/config', wrap(async (req, res) => {
    if (!(await sessionOf(req))) return unauthenticated(res);
    res.set('cache-control', 'no-store').json({ integrationsPublicUrl: config.integrationsPublicUrl ?? null });
  }));

  app.post('/api/sign-out', (_req, res) => {
    res.clearCookie(SESSION_COOKIE, cookieOptions).status(204).end();
  });

  if (config.development) {
    app.get('/api/dev/people', (_req, res) => {
      res.set('cache-control', 'no-store').json(devPeople(config.demoTenant).map(publicView));
    });
    app.post('/api/dev/sign-in', express.json({ limit: '4kb' }), wrap(async (req, res) => {
      const body: unknown = req.body;
      const subject = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['subject'] : undefined;
      if (typeof subject !== 'string' || subject === '') {
        return sendProblem(res, 400, 'validation-failed', 'The request is not valid.', [{ path: 'subject', message: 'is required' }]);
      }
      const person = devPeople(config.demoTenant).find((p) => p.subject === subject);
      if (!person) {
        return sendProblem(res, 400, 'validation-failed', 'The request is not valid.', [{ path: 'subject', message: 'is not one of the demo people' }]);
      }
      if (!config.jwt.secret) {
        return sendProblem(res, 503, 'dev-sign-in-unavailable', 'PACER_JWT_SECRET is not set, so no development token can be minted.');
      }
      const token = await mintToken({
        secret: config.jwt.secret,
        tenantId: person.tenantId,
        roles: person.roles,
        subject: person.subject,
        expiresIn: `${config.sessionTtlSeconds}s`,
        ...(config.jwt.issuer ? { issuer: config.jwt.issuer } : {}),
        ...(person.repId ? { repId: person.repId } : {}),
        ...(person.teamId ? { teamId: person.teamId } : {}),
      });
      // Read back exactly as the services will read it, so the session shows what they will enforce.
      const principal = await verifier.verify(token);
      await startSession(res, { token, principal, name: person.name, via: 'dev' });
      res.status(204).end();
    }));
  }

  app.get('/auth/login', wrap(async (req, res) => {
    if (!oidc) return sendProblem(res, 404, 'not-found', 'Single sign-on is not configured (PACER_OIDC_ISSUER).');
    // Only a path of this origin: browsers read `/\host` like `//host`, so a backslash (or a control
    // character) after the slash would make the post-sign-in redirect an open redirect.
    const returnTo = typeof req.query['returnTo'] === 'string' && /^\/(?![/\\])[^\\\x00-\x1f]*$/.test(req.query['returnTo']) ? req.query['returnTo'] : '/';
    let started: Awaited<ReturnType<OidcSignIn['start']>>;
    try {
      started = await oidc.start(callbackUrl(req), returnTo);
    } catch (e) {
      if (!(e instanceof OidcIssuerUnavailableError)) throw e;
      return issuerUnavailable(res, e);
    }
    const { url, pending } = started;
    const sealed = await sealer.seal({ token: JSON.stringify(pending), principal: { subject: 'login', tenantId: '', roles: [] }, via: 'oidc' });
    res.cookie(LOGIN_COOKIE, sealed, { ...cookieOptions, maxAge: 10 * 60_000, path: '/auth' }).redirect(302, url);
  }));

  app.get('/auth/callback', wrap(async (req, res) => {
    if (!oidc) return sendProblem(res, 404, 'not-found', 'Single sign-on is not configured (PACER_OIDC_ISSUER).');
    const sealed = await sealer.open((req.cookies as Record<string, string | undefined>)[LOGIN_COOKIE]);
    res.clearCookie(LOGIN_COOKIE, { ...cookieOptions, path: '/auth' });
    if (!sealed) return sendProblem(res, 400, 'login-expired', 'The sign-in took too long or started in another browser; start again.');
    const pending = JSON.parse(sealed.token) as PendingLogin;
    try {
      const current = new URL(req.originalUrl, `${baseUrlOf(req)}/`);
      const { token, principal, name } = await oidc.finish(current, pending);
      await startSession(res, { token, principal, via: 'oidc', ...(name ? { name } : {}) });
      res.redirect(302, pending.returnTo);
    } catch (e) {
      if (e instanceof OidcIssuerUnavailableError) return issuerUnavailable(res, e);
      logger.warn({ err: e }, 'OIDC sign-in failed');
      const detail = e instanceof OidcSignInError ? e.message : 'The identity provider did not complete the sign-in.';
      sendProblem(res, 401, 'sign-in-failed', detail);
    }
  }));

  /** Like an unreachable database (SPEC §7): 503 with Retry-After, never a 500 or a refusal. */
  function issuerUnavailable(res: Response, e: OidcIssuerUnavailableError): void {
    logger.warn({ err: e }, 'OIDC issuer unavailable');
    res.setHeader('retry-after', '5');
    sendProblem(res, 503, 'identity-provider-unavailable', 'The identity provider is not answering; sign in again shortly.');
  }

  function baseUrlOf(req: Request): string {
    return config.publicUrl ?? `${req.protocol}://${req.get('host') ?? `127.0.0.1:${config.port}`}`;
  }
  function callbackUrl(req: Request): string {
    return `${baseUrlOf(req)}/auth/callback`;
  }

  app.get('/api/live', wrap(async (req, res) => {
    const session = await sessionOf(req);
    if (!session) return unauthenticated(res);
    const principal: Principal = session.principal;
    const urls = { sprintPlanning: config.services['sprint-planning'], kpiAggregation: config.services['kpi-aggregation'] };
    let audience = audienceOf(principal, await lookUpRoster(principal, session.token, urls));
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      // nginx and other proxies buffer responses unless told not to; a buffered SSE stream is not live.
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    streams.add(res);
    liveConnections.inc();
    const unsubscribe = live.subscribe((change) => {
      if (!mayReceive(audience, change)) return;
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        res.end();
        return;
      }
      res.write(`event: kpi\ndata: ${JSON.stringify({ key: change.key, snapshot: change.snapshot })}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const refresh = setInterval(() => {
      void lookUpRoster(principal, session.token, urls).then((roster) => (audience = audienceOf(principal, roster)));
    }, ROSTER_REFRESH_MS);
    res.once('close', () => {
      unsubscribe();
      clearInterval(heartbeat);
      clearInterval(refresh);
      streams.delete(res);
      liveConnections.dec();
    });
  }));

  const proxies = Object.fromEntries(PROXIED_SERVICES.map((s) => [s, serviceProxy(s, config.services[s], logger)])) as Record<ProxiedService, ProxyHandler<Request, Response>>;
  app.use('/api', wrap(async (req, res, next) => {
    const service = /^\/([a-z-]+)(\/|$)/.exec(req.path)?.[1] as ProxiedService | undefined;
    if (!service || !(PROXIED_SERVICES as readonly string[]).includes(service)) {
      return sendProblem(res, 404, 'not-found', `${req.method} ${req.originalUrl.split('?')[0]} is not an API of this server.`);
    }
    if (!sameOrigin(req)) return sendProblem(res, 403, 'cross-origin', 'Requests that change data must come from this origin.');
    const session = await sessionOf(req);
    if (!session) return unauthenticated(res);
    res.locals['bearer'] = session.token;
    // Express stripped the '/api' mount; the proxy rewrites from the full path.
    req.url = req.originalUrl;
    await proxies[service](req, res, next);
  }));

  const index = path.join(config.staticDir, 'index.html');
  app.use(express.static(config.staticDir, {
    index: false,
    setHeaders: (res, file) => {
      // Vite names assets by content hash, so they never change; index.html must always be re-read.
      if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    },
  }));
  app.use((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendProblem(res, 404, 'not-found', `${req.method} ${req.path} is not a route of this server.`);
    if (!existsSync(index)) return sendProblem(res, 503, 'app-not-built', `The browser app is not built (no ${index}); run npx nx build web.`);
    res.set('cache-control', 'no-cache').sendFile(index);
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    logger.error({ err }, 'request failed');
    sendProblem(res, 500, 'internal', 'The web server failed to answer; the error is in its log.');
  });

  return {
    app,
    closeStreams: () => {
      for (const s of streams) s.end();
    },
  };
}

function serviceProxy(service: ProxiedService, target: string, logger: Logger): ProxyHandler<Request, Response> {
  return createProxyMiddleware<Request, Response>({
    target,
    changeOrigin: true,
    xfwd: true,
    // Large imports stream through; only a stalled upstream is cut off.
    proxyTimeout: 15 * 60_000,
    pathRewrite: (p) => p.replace(new RegExp(`^/api/${service}`), '') || '/',
    on: {
      proxyReq: (proxyReq, _req, res) => {
        proxyReq.removeHeader('cookie');
        proxyReq.setHeader('authorization', `Bearer ${String((res as Response).locals['bearer'])}`);
      },
      error: (err, _req, res) => {
        logger.warn({ err, service }, 'service unreachable');
        if ('status' in res) {
          (res as Response).setHeader('retry-after', '2');
          sendProblem(res as Response, 503, 'service-unavailable', `${service} is not answering; try again shortly.`);
        } else {
          res.destroy();
        }
      },
    },
  });
}

/** A state-changing call with an Origin of another site is refused (the SameSite cookie is the first line). */
function sameOrigin(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return true;
  const origin = req.get('origin');
  if (!origin) return true;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
  res.setHeader('x-frame-options', 'DENY');
  // ECharts and React set inline styles; scripts come only from this origin.
  res.setHeader(
    'content-security-policy',
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  );
  next();
}

function wrap(handler: (req: Request, res: Response, next: NextFunction) => Promise<void>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res, next).catch(next);
  };
}
