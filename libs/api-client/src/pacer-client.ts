import { DEFAULT_PORTS, ServiceName } from '@pacer/config';

export type ServiceUrls = Record<ServiceName, string>;

export function localServiceUrls(ports: Partial<Record<ServiceName, number>> = {}): ServiceUrls {
  const url = (s: ServiceName): string => `http://127.0.0.1:${ports[s] ?? DEFAULT_PORTS[s]}`;
  return {
    'activity-ingestion': url('activity-ingestion'),
    'sprint-planning': url('sprint-planning'),
    'kpi-aggregation': url('kpi-aggregation'),
    commission: url('commission'),
    notifications: url('notifications'),
  };
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A non-2xx answer, carrying the problem document so a caller can show the field that was wrong. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${url} → ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
  }
}

export interface RequestOptions {
  /** Statuses that are answers rather than errors for this call (e.g. 404 while polling). */
  accept?: readonly number[];
  headers?: Record<string, string>;
}

/**
 * A thin client of Pacer's public REST APIs, used by the demo seeder, the simulator and the system
 * tests: they drive Pacer only through what any user could call.
 */
export interface ClientOptions {
  /**
   * Keep retrying a call that found the service down (connection refused, 500 while its database restarts, 502-504) for this long.
   * Every Pacer write is idempotent, so a retried call cannot double anything; the chaos test and the
   * demo simulator rely on this while services restart.
   */
  retryForMs?: number;
}

export type ConsistencyPeriod = 'month' | 'quarter';

/** `GET /v1/reps/{repId}/consistency` (kpi-aggregation's OpenAPI `RepConsistencyDto`). */
export interface RepConsistency {
  repId: string;
  name: string | null;
  period: ConsistencyPeriod;
  last: number;
  /** Oldest first: ended periods with a non-zero quota. */
  periods: { key: string; start: string; end: string; quota: string; revenueWon: string; quotaAttainment: number; revision: number }[];
  mean: number | null;
  standardDeviation: number | null;
  coefficientOfVariation: number | null;
}

/** `GET /v1/teams/{teamId}/consistency`. */
export interface TeamConsistency {
  teamId: string;
  period: ConsistencyPeriod;
  last: number;
  members: RepConsistency[];
}

export class PacerClient {
  constructor(
    readonly urls: ServiceUrls,
    private readonly token: string,
    private readonly options: ClientOptions = {},
  ) {}

  withToken(token: string): PacerClient {
    return new PacerClient(this.urls, token, this.options);
  }

  withRetries(retryForMs: number): PacerClient {
    return new PacerClient(this.urls, this.token, { ...this.options, retryForMs });
  }

  async request<T = unknown>(
    service: ServiceName,
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const url = `${this.urls[service]}${path}`;
    const deadline = Date.now() + (this.options.retryForMs ?? 0);
    let res: Response;
    let text: string;
    for (let attempt = 0; ; attempt += 1) {
      try {
        res = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${this.token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...options.headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        text = await res.text();
        if (![500, 502, 503, 504].includes(res.status) || Date.now() > deadline) break;
      } catch (e) {
        if (Date.now() > deadline && !(attempt === 0 && isStaleConnection(e))) throw e;
      }
      await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * 2 ** Math.min(attempt, 5))));
    }
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the error message
    }
    if (!res.ok && !(options.accept ?? []).includes(res.status)) {
      throw new ApiError(method, url, res.status, parsed);
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  // sprint-planning (SPEC §4)
  putSettings(settings: { timezone: string; weekStartsOn: number; fiscalYearStartMonth: number }): Promise<ApiResponse> {
    return this.request('sprint-planning', 'PUT', '/v1/settings', settings);
  }

  createTeam(team: { teamId: string; name: string; salesModel: 'island' | 'assembly_line' }): Promise<ApiResponse> {
    return this.request('sprint-planning', 'POST', '/v1/teams', team);
  }

  putMember(teamId: string, repId: string, member: { name: string; role: string; effectiveFrom?: string }): Promise<ApiResponse> {
    return this.request('sprint-planning', 'PUT', `/v1/teams/${teamId}/members/${repId}`, member);
  }

  removeMember(teamId: string, repId: string): Promise<ApiResponse> {
    return this.request('sprint-planning', 'DELETE', `/v1/teams/${teamId}/members/${repId}`);
  }

  async createSprint(teamId: string, sprint: { startDate: string; lengthDays: number; goal: string }): Promise<string> {
    const res = await this.request<{ sprintId?: string; id?: string }>('sprint-planning', 'POST', `/v1/teams/${teamId}/sprints`, sprint);
    const id = res.body.sprintId ?? res.body.id;
    if (!id) throw new Error(`no sprint id in ${JSON.stringify(res.body)}`);
    return id;
  }

  sprintAction(sprintId: string, action: 'start' | 'close'): Promise<ApiResponse> {
    return this.request('sprint-planning', 'POST', `/v1/sprints/${sprintId}/${action}`);
  }

  putCommitment(
    sprintId: string,
    repId: string,
    commitment: { targets: Record<string, number | string>; items: { itemId: string; title: string; opportunityId?: string; dueDate?: string }[] },
  ): Promise<ApiResponse> {
    return this.request('sprint-planning', 'PUT', `/v1/sprints/${sprintId}/commitments/${repId}`, commitment);
  }

  board<T = unknown>(sprintId: string): Promise<ApiResponse<T>> {
    return this.request<T>('sprint-planning', 'GET', `/v1/sprints/${sprintId}/board`);
  }

  // commission (SPEC §6)
  putPlan(planId: string, plan: Record<string, unknown>): Promise<ApiResponse> {
    return this.request('commission', 'PUT', `/v1/plans/${planId}`, plan);
  }

  assignPlan(repId: string, planId: string, effectiveFrom: string): Promise<ApiResponse> {
    return this.request('commission', 'PUT', `/v1/reps/${repId}/plan`, { planId, effectiveFrom });
  }

  putQuota(repId: string, periodKey: string, amount: string): Promise<ApiResponse> {
    return this.request('commission', 'PUT', `/v1/reps/${repId}/quotas/${periodKey}`, { amount });
  }

  statement<T = unknown>(repId: string, periodKey: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    return this.request<T>('commission', 'GET', `/v1/reps/${repId}/statements/${periodKey}`, undefined, options);
  }

  // activity-ingestion (SPEC §3)
  postActivities<T = unknown>(activities: readonly Record<string, unknown>[]): Promise<ApiResponse<T>> {
    return this.request<T>('activity-ingestion', 'POST', '/v1/activities:batch', activities);
  }

  voidActivity(activityId: string, reason: string): Promise<ApiResponse> {
    return this.request('activity-ingestion', 'POST', `/v1/activities/${encodeURIComponent(activityId)}/void`, { reason });
  }

  // kpi-aggregation (SPEC §5)
  kpis<T = unknown>(query: Record<string, string>): Promise<ApiResponse<T>> {
    return this.request<T>('kpi-aggregation', 'GET', `/v1/kpis?${new URLSearchParams(query).toString()}`);
  }

  /** A rep's quota attainment over the last N ended months or quarters that had a quota, with its spread. */
  repConsistency(repId: string, period: ConsistencyPeriod, last?: number): Promise<ApiResponse<RepConsistency>> {
    const query = new URLSearchParams({ period, ...(last === undefined ? {} : { last: String(last) }) });
    return this.request<RepConsistency>('kpi-aggregation', 'GET', `/v1/reps/${encodeURIComponent(repId)}/consistency?${query.toString()}`);
  }

  /** The same for every selling member of a team now. */
  teamConsistency(teamId: string, period: ConsistencyPeriod, last?: number): Promise<ApiResponse<TeamConsistency>> {
    const query = new URLSearchParams({ period, ...(last === undefined ? {} : { last: String(last) }) });
    return this.request<TeamConsistency>('kpi-aggregation', 'GET', `/v1/teams/${encodeURIComponent(teamId)}/consistency?${query.toString()}`);
  }
}

/**
 * The server closed a kept-alive connection just as this request went out on it (its keep-alive timer
 * fired first, which a loaded machine makes likely): the request never reached the service, so one
 * immediate retry on a fresh connection is safe for any method, even without a retry budget.
 */
function isStaleConnection(e: unknown): boolean {
  const cause = e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  return cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET';
}
