/**
 * The one place that talks HTTP to the Partner API: base URL, User-Agent, bearer token,
 * timeout, retries for reads only, lossless JSON and zod parsing of the envelope.
 */
import nodeFetch from "node-fetch";
import type { ZodType, ZodTypeDef } from "zod";
import { envelopeSchema } from "./api-schemas";
import { PartnerApiError, type PartnerApiErrorDetails, redact } from "./errors";
import { parseJson, stringifyJson } from "./json";
import { DEFAULT_MAX_CONCURRENCY } from "./config";
import { AdaptiveLimiter } from "./limiter";

/** The subset of the fetch API the client uses, so tests can inject their own. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

/** Supplies bearer tokens; `invalidate` is called when the API refuses one. */
export interface TokenSource {
  token(): Promise<string>;
  invalidate(token: string): void;
}

export interface RetryPolicy {
  /** Attempts in all, including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ClientOptions {
  baseUrl: string;
  fetch?: FetchLike;
  userAgent?: string;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Strings that must never appear in an error message (the client secret). */
  secrets?: string[];
  /** Most API calls in flight at once (halved on each 429, regained gradually). */
  maxConcurrency?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface RequestSpec<T> {
  method: "GET" | "POST";
  path: string;
  query?: Record<string, string | number>;
  /** JSON body; `bigint` values are written as bare digits. */
  json?: unknown;
  /** Form-encoded body (token calls). */
  form?: Record<string, string>;
  /** Send the bearer token (all calls but the token calls). */
  auth: boolean;
  /**
   * Whether a failure with unknown outcome may be retried. Only reads and token calls are
   * idempotent; the order POST is sent once, whatever happens.
   */
  idempotent: boolean;
  schema: ZodType<T, ZodTypeDef, unknown>;
}

/** A successful call: the parsed result and the API's request ID. */
export interface ApiResponse<T> {
  result: T;
  requestId: string | undefined;
}

const PACKAGE_VERSION = "0.1.0";
export const DEFAULT_USER_AGENT = `pulumi-yeastar-hotel-module/${PACKAGE_VERSION} (OpenAPI)`;

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 5000 };
const MAX_RETRY_AFTER_MS = 30_000;

/** HTTP client of the Partner API, shared by every resource in a provider process. */
export class PartnerClient {
  readonly baseUrl: string;
  private readonly fetch: FetchLike;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly secrets: string[];
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private tokens: TokenSource | undefined;
  readonly limiter: AdaptiveLimiter;
  /** Requests sent (attempts), for tests and benchmarks. */
  requestCount = 0;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetch = options.fetch ?? (nodeFetch as unknown as FetchLike);
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.secrets = options.secrets ?? [];
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.limiter = new AdaptiveLimiter(options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
  }

  /** Wires the token source used for authenticated calls. */
  useTokens(tokens: TokenSource): void {
    this.tokens = tokens;
  }

  /** Marks a string (an issued token) as secret so it is scrubbed from any error text. */
  addSecret(secret: string): void {
    this.secrets.push(secret);
    if (this.secrets.length > 64) this.secrets.splice(1, this.secrets.length - 64); // keep the client secret
  }

  /**
   * Sends a request and parses its result.
   * @throws PartnerApiError
   */
  async request<T>(spec: RequestSpec<T>): Promise<ApiResponse<T>> {
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      const token = spec.auth ? await this.requireTokens().token() : undefined;
      try {
        return await this.once(spec, token);
      } catch (err) {
        if (!(err instanceof PartnerApiError)) throw err;
        if (token !== undefined && isAuthFailure(err) && !reauthenticated) {
          // A refused token means the request was not processed: safe to send again, once.
          reauthenticated = true;
          this.requireTokens().invalidate(token);
          attempt--;
          continue;
        }
        const delay = this.retryDelay(spec, err, attempt);
        if (delay === undefined) throw err;
        await this.sleep(delay);
      }
    }
  }

  private requireTokens(): TokenSource {
    if (!this.tokens) throw new Error("PartnerClient: no token source configured");
    return this.tokens;
  }

  /** Milliseconds to wait before another attempt, or undefined when the error is final. */
  private retryDelay(spec: RequestSpec<unknown>, err: PartnerApiError, attempt: number): number | undefined {
    if (!spec.idempotent || attempt >= this.retry.maxAttempts) return undefined;
    const status = err.status ?? 0;
    // An unreadable answer (a proxy page, a cut-off body) to an idempotent call is as transient
    // as a 5xx; a well-formed answer of the wrong shape is not.
    const retryable = err.kind === "network" || err.kind === "timeout" || err.unreadable || status === 429 || status >= 500;
    if (!retryable) return undefined;
    if (err.retryAfterMs !== undefined) return Math.min(err.retryAfterMs, MAX_RETRY_AFTER_MS);
    const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(cap / 2 + (this.random() * cap) / 2);
  }

  private async once<T>(spec: RequestSpec<T>, token: string | undefined): Promise<ApiResponse<T>> {
    const query = spec.query ? "?" + new URLSearchParams(Object.entries(spec.query).map(([k, v]): [string, string] => [k, String(v)])).toString() : "";
    const pathWithQuery = spec.path + query;
    const headers: Record<string, string> = { "User-Agent": this.userAgent, Accept: "application/json" };
    let body: string | undefined;
    if (spec.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = stringifyJson(spec.json);
    } else if (spec.form !== undefined) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(spec.form).toString();
    }
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    const base = { method: spec.method, path: pathWithQuery };

    const release = await this.limiter.acquire();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let status: number;
    let text: string;
    let retryAfterHeader: string | null;
    this.requestCount++;
    try {
      const init: Parameters<FetchLike>[1] = { method: spec.method, headers, signal: controller.signal };
      if (body !== undefined) init.body = body;
      const res = await this.fetch(this.baseUrl + pathWithQuery, init);
      status = res.status;
      retryAfterHeader = res.headers.get("retry-after");
      text = await res.text();
    } catch (err) {
      const aborted = controller.signal.aborted;
      throw new PartnerApiError({
        ...base,
        kind: aborted ? "timeout" : "network",
        cause: aborted ? `no answer within ${this.timeoutMs} ms` : this.scrub(errorText(err)),
      });
    } finally {
      clearTimeout(timer);
      release();
    }
    if (status === 429) this.limiter.onRateLimited();
    else if (status >= 200 && status < 300) this.limiter.onSuccess();

    const fail = (extra: Omit<PartnerApiErrorDetails, "method" | "path">): never => {
      const details: PartnerApiErrorDetails = { ...base, status, ...extra };
      const retryAfterMs = parseRetryAfter(retryAfterHeader);
      if (retryAfterMs !== undefined) details.retryAfterMs = retryAfterMs;
      throw new PartnerApiError(details);
    };

    let parsed: unknown;
    try {
      parsed = parseJson(text);
    } catch {
      return fail({ kind: "invalid-response", unreadable: true, cause: `not JSON: ${this.scrub(snippet(text))}` });
    }
    const envelope = envelopeSchema.safeParse(parsed);
    if (!envelope.success) return fail({ kind: "invalid-response", unreadable: true, cause: `not the Partner API envelope: ${this.scrub(snippet(text))}` });
    const env = envelope.data;
    const requestId = env.requestId ?? undefined;
    if (env.code !== "success" || status < 200 || status >= 300) {
      const detail: Parameters<typeof fail>[0] = {
        kind: "api",
        status: status >= 200 && status < 300 && typeof env.status === "number" ? env.status : status,
        code: env.code,
        detailMessage: this.scrub(env.detailMessage ?? ""),
        result: env.result,
      };
      if (requestId) detail.requestId = requestId;
      return fail(detail);
    }
    const result = spec.schema.safeParse(env.result);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue ? `result.${issue.path.join(".")}`.replace(/\.$/, "") : "result";
      const detail: Parameters<typeof fail>[0] = { kind: "invalid-response", cause: `${where}: ${issue?.message ?? "does not match the documented shape"}` };
      if (requestId) detail.requestId = requestId;
      return fail(detail);
    }
    return { result: result.data, requestId };
  }

  private scrub(text: string): string {
    return redact(text, this.secrets);
  }
}

/** True when the API refused the bearer token (expired, revoked, unknown). */
export function isAuthFailure(err: PartnerApiError): boolean {
  if (err.kind !== "api") return false;
  return err.status === 401 || /token|unauthori[sz]ed|unauthenticated/i.test(err.code ?? "");
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat || "(empty body)";
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as Error & { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
