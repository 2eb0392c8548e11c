/**
 * The single dispatcher every request goes through, its request counter and its hook points.
 *
 * Order of checks: route lookup → `beforeHandle` hook → User-Agent → 404/405 → bearer token →
 * handler → (if the handler committed an order) `afterCommit` hook → `afterHandle` hook.
 * Hooks are where fault injection plugs in: a hook returning a `Reply` replaces the normal answer
 * (error envelope, raw body, dropped connection); returning `undefined` lets the request through.
 */
import type { Socket } from "node:net";
import { UNKNOWN_ENDPOINT, type EndpointName } from "./endpoints";
import { ApiError, errorReply, type Reply } from "./envelope";
import type { EmulatorState } from "./state";
import type { EmulatorOrder } from "./types";

export interface RequestContext {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly rawBody: Buffer;
  readonly body: string;
  readonly state: EmulatorState;
  readonly requestId: string;
  /** The connection the request arrived on (fault injection drops it or finds the client process). */
  readonly socket: Socket;
  /** Route ID such as "order.save" (see ENDPOINT_NAMES); "unknown" when no route matches the path. */
  endpoint: EndpointName | typeof UNKNOWN_ENDPOINT;
  /** 1-based number of this request among requests to `endpoint` (since start or `RequestCounter.reset()`). */
  seq: number;
  /** 1-based number of this request among all dispatched requests (same counting). */
  seqAll: number;
  /** Path parameters of the matched route. */
  params: Record<string, string>;
  /** Set by `commit`; the order this request added to the ledger. */
  committed: EmulatorOrder | undefined;
  /** Adds an order to the ledger (and the state file) before the answer is sent. */
  commit(order: EmulatorOrder): void;
}

export interface Route {
  readonly id: EndpointName;
  /** Refines `id` per request (the token route tells the refresh grant apart). */
  classify?(ctx: RequestContext): EndpointName;
  readonly method: "GET" | "POST";
  /** Matched against the whole path; named groups become `params`. */
  readonly pattern: RegExp;
  /** Whether a bearer token is required (all but the token endpoint). */
  readonly auth: boolean;
  handle(ctx: RequestContext): Reply;
}

type HookResult = Reply | undefined | Promise<Reply | undefined>;

export interface DispatchHooks {
  /** Every dispatched request, before any check. */
  beforeHandle?(ctx: RequestContext): HookResult;
  /** Only after a handler committed an order. */
  afterCommit?(ctx: RequestContext, reply: Reply): HookResult;
  /** Every request the dispatcher handled (success or error envelope), after `afterCommit`. */
  afterHandle?(ctx: RequestContext, reply: Reply): HookResult;
}

/** Per-endpoint and overall request counts behind `ctx.seq` / `ctx.seqAll`. */
export class RequestCounter {
  private readonly counts = new Map<string, number>();
  private total = 0;

  next(endpoint: string): { seq: number; seqAll: number } {
    const seq = (this.counts.get(endpoint) ?? 0) + 1;
    this.counts.set(endpoint, seq);
    return { seq, seqAll: ++this.total };
  }

  /** Requests counted so far to `endpoint`, or to all endpoints for "*". */
  count(endpoint: string): number {
    return endpoint === "*" ? this.total : (this.counts.get(endpoint) ?? 0);
  }

  reset(): void {
    this.counts.clear();
    this.total = 0;
  }
}

export class Dispatcher {
  constructor(
    private readonly routes: readonly Route[],
    readonly hooks: DispatchHooks = {},
    readonly counter: RequestCounter = new RequestCounter(),
  ) {}

  async dispatch(ctx: RequestContext): Promise<Reply> {
    const onPath = this.routes.filter((r) => r.pattern.test(ctx.path));
    const route = onPath.find((r) => r.method === ctx.method);
    ctx.endpoint = route ? (route.classify?.(ctx) ?? route.id) : (onPath[0]?.id ?? UNKNOWN_ENDPOINT);
    const { seq, seqAll } = this.counter.next(ctx.endpoint);
    ctx.seq = seq;
    ctx.seqAll = seqAll;
    ctx.params = route ? { ...route.pattern.exec(ctx.path)?.groups } : {};

    const injected = await this.hooks.beforeHandle?.(ctx);
    if (injected) return injected;

    let reply: Reply;
    try {
      reply = this.handle(ctx, route, onPath);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      reply = errorReply(e);
    }
    if (ctx.committed && this.hooks.afterCommit) reply = (await this.hooks.afterCommit(ctx, reply)) ?? reply;
    if (this.hooks.afterHandle) reply = (await this.hooks.afterHandle(ctx, reply)) ?? reply;
    return reply;
  }

  private handle(ctx: RequestContext, route: Route | undefined, onPath: readonly Route[]): Reply {
    if (!ctx.headers["user-agent"]) throw new ApiError(400, "user_agent_required", "The User-Agent header is required on every request");
    if (onPath.length === 0) throw new ApiError(404, "not_found", `No endpoint ${ctx.path}`);
    if (!route) {
      const allow = [...new Set(onPath.map((r) => r.method))].join(", ");
      throw new ApiError(405, "method_not_allowed", `Method ${ctx.method} is not allowed on ${ctx.path}; use ${allow}`, null, { Allow: allow });
    }
    if (route.auth) checkBearer(ctx);
    return route.handle(ctx);
  }
}

function checkBearer(ctx: RequestContext): void {
  const header = ctx.headers["authorization"];
  if (!header) throw new ApiError(401, "unauthorized", "The Authorization header is required: Authorization: Bearer {access_token}");
  const match = /^Bearer +(\S+)$/i.exec(header.trim());
  if (!match?.[1]) throw new ApiError(401, "unauthorized", "The Authorization header must be of the form: Bearer {access_token}");
  switch (ctx.state.tokens.check(match[1], "access")) {
    case "ok":
      return;
    case "expired":
      throw new ApiError(401, "token_expired", "The access token has expired; refresh it or request a new one");
    case "revoked":
      throw new ApiError(401, "token_revoked", "The access token has been revoked; request a new one");
    case "wrong_kind":
      throw new ApiError(401, "unauthorized", "A refresh token cannot be used as an access token");
    case "unknown":
      throw new ApiError(401, "unauthorized", "The access token is invalid");
  }
}
