/**
 * Fault injection: rules matched per endpoint and request number, applied through the dispatcher's
 * `beforeHandle` hook (latency, token revocation, replies that replace the handler, hangs, resets)
 * and its `afterHandle` hook (resets and client kills after the handler committed its work).
 *
 * Counting: a rule's `nth` is compared with `ctx.seq` (requests to that endpoint) or, for "*", with
 * `ctx.seqAll`. A rule without `nth` starts at the next request counted when it is added. A rule
 * covers the requests numbered [nth, nth + times). When several rules cover one request, every
 * `latency` and `revoke-tokens` rule applies (in the order added) and then the first other one.
 */
import type { DispatchHooks, RequestContext, RequestCounter } from "./dispatcher";
import type { Reply } from "./envelope";
import { parseFaultRule } from "./fault-rules";
import { findSocketOwners, waitForExit } from "./socket-owner";
import type { Fault, FaultControl, FaultRule, FiredFault } from "./types";

/** How long kill-client-after-commit waits for the killed client to exit before resetting the connection. */
export const KILL_WAIT_MS = 2000;

interface ActiveRule {
  readonly endpoint: FaultRule["endpoint"];
  readonly fault: Fault;
  /** First request number covered. */
  readonly from: number;
  /** First request number no longer covered (Infinity for all). */
  readonly to: number;
}

export interface FaultInjectorDeps {
  readonly counter: RequestCounter;
  readonly tokens: { revokeAll(): void };
  readonly clock: () => number;
  /** Added to every dispatched request. */
  readonly latencyMs: number;
}

const DEFAULT_ERROR_CODES: Readonly<Record<number, string>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  408: "request_timeout",
  409: "conflict",
  429: "too_many_requests",
  500: "internal_error",
  502: "bad_gateway",
  503: "service_unavailable",
  504: "gateway_timeout",
};

export const HTML_502_BODY =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

export class FaultInjector implements FaultControl {
  readonly fired: FiredFault[] = [];
  readonly hooks: DispatchHooks = {
    beforeHandle: (ctx) => this.beforeHandle(ctx),
    afterHandle: (ctx) => this.afterHandle(ctx),
  };
  private active: ActiveRule[] = [];
  /** Rules that act once the handler has run, by request. */
  private readonly pendingAfter = new WeakMap<RequestContext, ActiveRule>();
  /** Wakes up waits (latency, hang) when the emulator closes. */
  private readonly closeWaiters = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly deps: FaultInjectorDeps,
    initial: readonly FaultRule[] = [],
  ) {
    if (!Number.isInteger(deps.latencyMs) || deps.latencyMs < 0) throw new RangeError(`latencyMs must be a non-negative integer, got ${deps.latencyMs}`);
    for (const rule of initial) this.add(rule);
  }

  get rules(): FaultRule[] {
    return this.active.map((a) => ({ endpoint: a.endpoint, nth: a.from, times: a.to === Infinity ? -1 : a.to - a.from, fault: a.fault }));
  }

  add(rule: FaultRule): void {
    const r = parseFaultRule(rule);
    const from = r.nth ?? this.deps.counter.count(r.endpoint) + 1;
    this.active.push({ endpoint: r.endpoint, fault: r.fault, from, to: from + r.times });
  }

  clear(): void {
    this.active = [];
    this.fired.length = 0;
    this.deps.counter.reset();
  }

  /** Ends every pending wait (latency, hang); later waits end at once. */
  close(): void {
    this.closed = true;
    for (const wake of [...this.closeWaiters]) wake();
  }

  private async beforeHandle(ctx: RequestContext): Promise<Reply | undefined> {
    const covering = this.active.filter((a) => covers(a, ctx));
    this.active = this.active.filter((a) => this.deps.counter.count(a.endpoint) < a.to - 1);

    let delay = this.deps.latencyMs;
    for (const a of covering) {
      if (a.fault.kind !== "latency") continue;
      delay += a.fault.ms;
      this.fire(ctx, a);
    }
    if (delay > 0 && !(await this.sleep(delay))) return { kind: "drop", code: "emulator_closed" };
    for (const a of covering) {
      if (a.fault.kind !== "revoke-tokens") continue;
      this.deps.tokens.revokeAll();
      this.fire(ctx, a);
    }

    const rule = covering.find((a) => a.fault.kind !== "latency" && a.fault.kind !== "revoke-tokens");
    if (!rule) return undefined;
    const fault = rule.fault;
    switch (fault.kind) {
      case "error":
        this.fire(ctx, rule);
        return {
          kind: "envelope",
          status: fault.status,
          code: fault.code ?? DEFAULT_ERROR_CODES[fault.status] ?? "injected_error",
          detailMessage: fault.detailMessage ?? `Injected fault: HTTP ${fault.status}`,
          result: null,
        };
      case "rate-limit":
        this.fire(ctx, rule);
        return {
          kind: "envelope",
          status: 429,
          code: "too_many_requests",
          detailMessage: `Too many requests; retry after ${fault.retryAfterSeconds} seconds`,
          result: null,
          headers: { "Retry-After": String(fault.retryAfterSeconds) },
        };
      case "malformed-json":
        this.fire(ctx, rule);
        return {
          kind: "raw",
          status: 200,
          code: "injected_malformed_json",
          headers: { "Content-Type": "application/json;charset=UTF-8" },
          body: `{"code":"success","detailMessage":"","requestId":"${ctx.requestId}","result":{"`,
        };
      case "html-502":
        this.fire(ctx, rule);
        return { kind: "raw", status: 502, code: "injected_html_502", headers: { "Content-Type": "text/html" }, body: HTML_502_BODY };
      case "reset-before":
        this.fire(ctx, rule);
        return { kind: "drop", code: "injected_reset_before", reset: true };
      case "hang":
        this.fire(ctx, rule);
        await this.untilClosed(ctx);
        return { kind: "drop", code: "injected_hang" };
      case "reset-after-commit":
      case "kill-client-after-commit":
        this.pendingAfter.set(ctx, rule);
        return undefined;
      case "latency":
      case "revoke-tokens":
        return undefined; // handled above
    }
  }

  private async afterHandle(ctx: RequestContext): Promise<Reply | undefined> {
    const rule = this.pendingAfter.get(ctx);
    if (!rule) return undefined;
    this.pendingAfter.delete(ctx);
    const fault = rule.fault;
    if (fault.kind === "reset-after-commit") {
      this.fire(ctx, rule);
      return { kind: "drop", code: "injected_reset_after_commit", reset: true };
    }
    if (fault.kind === "kill-client-after-commit") {
      this.fire(ctx, rule, await killClient(ctx, fault.signal ?? "SIGKILL"));
      return { kind: "drop", code: "injected_kill_client_after_commit", reset: true };
    }
    return undefined;
  }

  private fire(ctx: RequestContext, rule: ActiveRule, detail?: string): void {
    const entry: FiredFault = { endpoint: ctx.endpoint, nth: ctx.seq, kind: rule.fault.kind, at: this.deps.clock() };
    if (detail !== undefined) entry.detail = detail;
    this.fired.push(entry);
  }

  /** True after `ms`, false if the emulator closed first. A client that gives up does not end the wait. */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.closed) return resolve(false);
      const wake = (): void => {
        clearTimeout(timer);
        this.closeWaiters.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.closeWaiters.delete(wake);
        resolve(true);
      }, ms);
      this.closeWaiters.add(wake);
    });
  }

  /** Resolves once the client closes the connection or the emulator closes. */
  private untilClosed(ctx: RequestContext): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed || ctx.socket.destroyed) return resolve();
      const done = (): void => {
        ctx.socket.off("close", done);
        this.closeWaiters.delete(done);
        resolve();
      };
      ctx.socket.once("close", done);
      this.closeWaiters.add(done);
    });
  }
}

function covers(rule: ActiveRule, ctx: RequestContext): boolean {
  const n = rule.endpoint === "*" ? ctx.seqAll : rule.endpoint === ctx.endpoint ? ctx.seq : 0;
  return n >= rule.from && n < rule.to;
}

/** Signals the process(es) owning the client end of `ctx.socket`; returns what happened, for `fired`. */
async function killClient(ctx: RequestContext, signal: "SIGKILL" | "SIGTERM"): Promise<string> {
  const { remotePort, localPort } = ctx.socket;
  if (remotePort === undefined || localPort === undefined) return "the connection has no ports (already closed?); nobody killed";
  const owners = findSocketOwners(remotePort, localPort);
  if (owners.pids.length === 0) return `client process not found (${owners.reason ?? "unknown reason"}); nobody killed`;
  const notes: string[] = [];
  for (const pid of owners.pids) {
    if (pid === process.pid) {
      notes.push(`pid ${pid} is the emulator's own process; not killed`);
      continue;
    }
    try {
      process.kill(pid, signal);
    } catch (e) {
      notes.push(`kill(${pid}, ${signal}) failed: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const exited = await waitForExit(pid, KILL_WAIT_MS);
    notes.push(`killed pid ${pid} with ${signal}${exited ? "" : ` (still running after ${KILL_WAIT_MS} ms)`}`);
  }
  return notes.join("; ");
}
