/**
 * Replies and the response envelope `{code, detailMessage, requestId, result, status}` (reference section 2).
 *
 * Handlers return a `Reply`; only the transport (server.ts) turns it into bytes. A `Reply` is either
 * an envelope, a raw body (for later fault injection: HTML 502, malformed JSON), or a dropped connection.
 */
import { randomBytes } from "node:crypto";
import { stringifyJson } from "../provider/json";

export interface EnvelopeReply {
  kind: "envelope";
  status: number;
  code: string;
  detailMessage: string;
  result: unknown;
  headers?: Record<string, string>;
}

export interface RawReply {
  kind: "raw";
  status: number;
  /** Recorded as the request's `code`. */
  code: string;
  headers: Record<string, string>;
  body: string;
}

export interface DropReply {
  kind: "drop";
  /** Recorded as the request's `code`. */
  code: string;
  /** Send a TCP RST (the client sees ECONNRESET) instead of closing the connection. */
  reset?: boolean;
}

export type Reply = EnvelopeReply | RawReply | DropReply;

/** Thrown by handlers and validators; the dispatcher turns it into an error envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detailMessage: string,
    readonly result: unknown = null,
    readonly headers?: Record<string, string>,
  ) {
    super(`${status} ${code}: ${detailMessage}`);
    this.name = "ApiError";
  }
}

export function ok(result: unknown): EnvelopeReply {
  return { kind: "envelope", status: 200, code: "success", detailMessage: "", result };
}

export function errorReply(e: ApiError): EnvelopeReply {
  const reply: EnvelopeReply = { kind: "envelope", status: e.status, code: e.code, detailMessage: e.detailMessage, result: e.result };
  if (e.headers) reply.headers = e.headers;
  return reply;
}

/** `parameter_validation_failed` with `result: {field, tag}`. */
export function validationError(field: string, tag: string, detail: string): ApiError {
  return new ApiError(400, "parameter_validation_failed", detail, { field, tag });
}

export function newRequestId(): string {
  return randomBytes(16).toString("hex");
}

/** Serializes an envelope losslessly (bigint as bare digits), keys in the documented order. */
export function envelopeText(reply: EnvelopeReply, requestId: string): string {
  return stringifyJson({ code: reply.code, detailMessage: reply.detailMessage, requestId, result: reply.result, status: reply.status });
}
