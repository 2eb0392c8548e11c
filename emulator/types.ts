/**
 * Public types of the Yeastar Partner API emulator.
 *
 * Every ID is a `string` in TypeScript; the emulator writes each ID to the wire the way the
 * reference documents it (bare JSON integers for `serviceId`/`planId`/`billingId`, strings for
 * `billingContactId`, order IDs, …).
 */
import type { EndpointName, UNKNOWN_ENDPOINT } from "./endpoints";

/** `orderStatus` values. The reference lists the first six; "confirming" is a guess for the cut-off "con…". */
export type OrderStatus = "succeed" | "failed" | "pending" | "invalid" | "cancelled" | "refunded" | "confirming";

export const ORDER_STATUSES: readonly OrderStatus[] = ["succeed", "failed", "pending", "invalid", "cancelled", "refunded", "confirming"];

/** A billing contact as `billing_contact_list` returns it (section 7, Contact_Info; all strings). */
export interface EmulatorBillingContact {
  billingContactId: string; // 19-digit decimal
  city: string;
  company: string;
  country: string;
  emailAddress: string;
  firstName: string;
  lastName: string;
  phoneNumber: string;
  remark: string;
  stateProvince: string;
  street: string;
  taxNum: string;
  zipCode: string;
}

/** An add-on service of product 11 as `purchase_product_info` offers it. */
export interface EmulatorService {
  serviceId: string; // decimal digits, written as a bare JSON integer
  pricingServiceId: string;
  name: string;
  purchaseType?: "purchase" | "trial"; // default "purchase"
  billingModel?: "once" | "recurring"; // default "once"
  billingCycle?: "once" | "monthly" | "annually"; // default "once"
  price?: number; // default 0
  currencyCode?: string; // default "USD"
}

export interface EmulatorOptions {
  host?: string;
  port?: number;
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  devices?: string[] | "any";
  billingContacts?: EmulatorBillingContact[];
  services?: EmulatorService[];
  catalogLayout?: "top-level" | "under-plans";
  serviceNameKey?: "name" | "serviceName";
  orderListIncludesProduct?: boolean;
  errorHttpStatus?: "mirror" | "always200";
  initialOrderStatus?: "succeed" | "pending";
  stateFile?: string;
  clock?: () => number;
  /** Milliseconds added to every API request (not to `/__emulator/` admin requests). Default 0. */
  latencyMs?: number;
  /** Fault rules in force from the start (see `FaultRule`). */
  faults?: FaultRule[];
}

/** What happens to a request a fault rule matches. See docs/EMULATOR.md, "Fault injection". */
export type Fault =
  /** Error envelope with this status (HTTP status per `errorHttpStatus`); the handler does not run. */
  | { kind: "error"; status: number; code?: string; detailMessage?: string }
  /** 429 `too_many_requests` with a `Retry-After` header; the handler does not run. */
  | { kind: "rate-limit"; retryAfterSeconds: number }
  /** Waits, then handles normally (a client that gives up meanwhile does not stop the handler). */
  | { kind: "latency"; ms: number }
  /** Never answers; the connection stays open until the client closes it or the emulator closes. */
  | { kind: "hang" }
  /** Resets the connection before handling (nothing committed). */
  | { kind: "reset-before" }
  /** Handles fully (an order is committed and persisted), then resets the connection without answering. */
  | { kind: "reset-after-commit" }
  /** Handles fully, kills the OS process owning the client end of the connection, then resets it. */
  | { kind: "kill-client-after-commit"; signal?: "SIGKILL" | "SIGTERM" }
  /** 200 with a truncated JSON envelope; the handler does not run. */
  | { kind: "malformed-json" }
  /** 502 with an HTML "Bad Gateway" page; the handler does not run. */
  | { kind: "html-502" }
  /** Revokes every token issued so far, then dispatches normally (so an authenticated request gets 401). */
  | { kind: "revoke-tokens" };

export type FaultKind = Fault["kind"];

export interface FaultRule {
  endpoint: EndpointName | "*";
  /** 1-based index among requests to `endpoint` (all requests for "*"), counted from start or the last `faults.clear()`. Default: the next request. */
  nth?: number;
  /** How many consecutive matching requests, from `nth` on, it applies to. Default 1; `Infinity` or -1 for all. */
  times?: number;
  fault: Fault;
}

export interface FiredFault {
  /** The request's endpoint (never "*"). */
  endpoint: EndpointName | typeof UNKNOWN_ENDPOINT;
  /** The request's 1-based index among requests to that endpoint (same counting as `FaultRule.nth`). */
  nth: number;
  kind: FaultKind;
  /** `clock()` when the fault acted. */
  at: number;
  /** kill-client-after-commit only: which process got which signal, or why none did. */
  detail?: string;
}

export interface FaultControl {
  /** Adds a rule (validated; throws on a malformed one). A rule without `nth` targets the next request(s). */
  add(rule: FaultRule): void;
  /** Removes every rule, empties `fired` and restarts request counting at 1. */
  clear(): void;
  /** Faults that acted, in order (live array). */
  readonly fired: FiredFault[];
  /** The rules in force, with `nth` resolved and `times` normalised (-1 for all). */
  readonly rules: readonly FaultRule[];
}

export interface RecordedRequest {
  method: string;
  path: string; // without the query string
  query: Record<string, string>;
  headers: Record<string, string>; // lower-cased names
  body: string;
  status: number; // HTTP status sent (0 until answered, or if the connection was dropped)
  code: string; // envelope code sent ("" until answered)
  at: number; // clock() at arrival
}

export interface EmulatorOrder {
  orderId: string;
  orderNo: string;
  instanceId: string;
  transactionNo: string;
  productId: number;
  productNo: string;
  billingId: string;
  serviceIds: string[];
  serviceNames: string[];
  operationType: string;
  poNumber: string;
  orderStatus: OrderStatus;
  createTime: number;
  rawBody: string;
  requestId: string;
}

export interface RunningEmulator {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly orders: EmulatorOrder[];
  ordersFor(productNo: string): EmulatorOrder[];
  setOrderStatus(orderIdOrNo: string, status: OrderStatus): void;
  revokeTokens(): void;
  issuedTokens(): string[];
  clearRequests(): void;
  /** Fault injection (see docs/EMULATOR.md). */
  readonly faults: FaultControl;
  close(): Promise<void>;
}
