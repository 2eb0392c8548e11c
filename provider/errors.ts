/**
 * Errors raised by the provider. Every message is written for the person reading `pulumi up`
 * output: what failed, the API's own words, and what to do. None ever carries a token or secret.
 */

/** How a call to the Partner API failed. */
export type PartnerApiFailureKind =
  /** The API answered with an error envelope (or a non-2xx status). */
  | "api"
  /** No usable answer: connection refused/reset, DNS, socket error. The outcome is unknown. */
  | "network"
  /** No answer within the client timeout. The outcome is unknown. */
  | "timeout"
  /** An answer arrived but was not the documented envelope (HTML page, bad JSON, schema mismatch). */
  | "invalid-response";

export interface PartnerApiErrorDetails {
  kind: PartnerApiFailureKind;
  method: string;
  path: string;
  status?: number;
  code?: string;
  detailMessage?: string;
  requestId?: string;
  /** Extra detail the API returned in `result` (e.g. the field that failed validation). */
  result?: unknown;
  /** What the user can do about it, appended to the message. */
  hint?: string;
  /** Underlying error text (already redacted). */
  cause?: string;
  /** The server's `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
  /** The body was not the API's JSON envelope at all (a proxy page, a cut-off answer). */
  unreadable?: boolean;
}

/** A failed Partner API call, carrying the API's `code`, `detailMessage` and `requestId`. */
export class PartnerApiError extends Error {
  readonly kind: PartnerApiFailureKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly detailMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly result: unknown;
  readonly retryAfterMs: number | undefined;
  readonly unreadable: boolean;

  constructor(private readonly details: PartnerApiErrorDetails) {
    super(formatMessage(details));
    this.name = "PartnerApiError";
    this.kind = details.kind;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.code = details.code;
    this.detailMessage = details.detailMessage;
    this.requestId = details.requestId;
    this.result = details.result;
    this.retryAfterMs = details.retryAfterMs;
    this.unreadable = details.unreadable ?? false;
  }

  /** The same failure with advice for the user appended to the message. */
  withHint(hint: string): PartnerApiError {
    return new PartnerApiError({ ...this.details, hint: this.details.hint ? `${this.details.hint}; ${hint}` : hint });
  }

  /** True when the request may or may not have taken effect on the server. */
  get outcomeUnknown(): boolean {
    // An answer we could not read (even a 200) may hide a committed order.
    return this.kind === "network" || this.kind === "timeout" || this.kind === "invalid-response" || (this.kind === "api" && (this.status ?? 0) >= 500);
  }
}

function formatMessage(d: PartnerApiErrorDetails): string {
  const where = `${d.method} ${d.path}`;
  const parts: string[] = [];
  switch (d.kind) {
    case "api":
      parts.push(`Yeastar rejected ${where}: ${d.code ?? "error"}`);
      if (d.detailMessage) parts.push(JSON.stringify(d.detailMessage));
      break;
    case "network":
      parts.push(`Could not reach the Yeastar Partner API for ${where}`);
      break;
    case "timeout":
      parts.push(`The Yeastar Partner API did not answer ${where} in time`);
      break;
    case "invalid-response":
      parts.push(`The Yeastar Partner API sent an unexpected answer to ${where}`);
      break;
  }
  const facts: string[] = [];
  if (d.status !== undefined) facts.push(`HTTP ${d.status}`);
  if (d.requestId) facts.push(`request ${d.requestId}`);
  if (facts.length > 0) parts.push(`(${facts.join(", ")})`);
  let message = parts.join(" ");
  if (d.cause) message += `: ${d.cause}`;
  if (d.hint) message += ` — ${d.hint}`;
  return message;
}

/** Stack configuration is missing or malformed; the message names the `pulumi config` command. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Something this provider cannot decide on its own (ambiguous catalogue or billing contact). */
export class ResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResolutionError";
  }
}

/** An order was not placed because the stack's spend guard refused it. */
export class SpendGuardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpendGuardError";
  }
}

/**
 * Replaces every occurrence of the given secrets in `text` with `[redacted]`.
 * Applied to anything derived from a transport error before it reaches a message.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  // Bearer tokens and form-encoded secrets that we did not know about (defence in depth).
  out = out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, "$1[redacted]");
  out = out.replace(/((?:client_secret|refresh_token|access_token|token)=)[^&\s]+/gi, "$1[redacted]");
  return out;
}
