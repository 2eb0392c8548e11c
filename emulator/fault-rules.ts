/**
 * Validation of fault rules coming from code, the YEASTAR_EMULATOR_FAULTS variable or the admin
 * endpoint. Unknown keys are refused so that a typo does not silently disable a fault.
 */
import { ENDPOINT_NAMES, isEndpointName } from "./endpoints";
import type { Fault, FaultKind, FaultRule } from "./types";

export const FAULT_KINDS: readonly FaultKind[] = [
  "error",
  "rate-limit",
  "latency",
  "hang",
  "reset-before",
  "reset-after-commit",
  "kill-client-after-commit",
  "malformed-json",
  "html-502",
  "revoke-tokens",
];

export class FaultRuleError extends Error {
  override name = "FaultRuleError";
}

type Obj = { [key: string]: unknown };

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function onlyKeys(o: Obj, allowed: readonly string[], where: string): void {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length > 0)
    throw new FaultRuleError(
      `${where}: unknown key${extra.length > 1 ? "s" : ""} ${extra.map((k) => JSON.stringify(k)).join(", ")} (allowed: ${allowed.join(", ")})`,
    );
}

function int(o: Obj, key: string, where: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
    throw new FaultRuleError(`${where}.${key}: expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return v;
}

function optString(o: Obj, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new FaultRuleError(`${where}.${key}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

export function parseFault(v: unknown, where = "fault"): Fault {
  if (!isObj(v)) throw new FaultRuleError(`${where}: expected an object with a "kind"`);
  const kind = v["kind"];
  switch (kind) {
    case "error": {
      onlyKeys(v, ["kind", "status", "code", "detailMessage"], where);
      const fault: Fault = { kind, status: int(v, "status", where, 100, 599) };
      const code = optString(v, "code", where);
      const detailMessage = optString(v, "detailMessage", where);
      if (code !== undefined) fault.code = code;
      if (detailMessage !== undefined) fault.detailMessage = detailMessage;
      return fault;
    }
    case "rate-limit":
      onlyKeys(v, ["kind", "retryAfterSeconds"], where);
      return { kind, retryAfterSeconds: int(v, "retryAfterSeconds", where, 0) };
    case "latency":
      onlyKeys(v, ["kind", "ms"], where);
      return { kind, ms: int(v, "ms", where, 0, 2 ** 31 - 1) };
    case "kill-client-after-commit": {
      onlyKeys(v, ["kind", "signal"], where);
      const signal = v["signal"];
      if (signal === undefined) return { kind };
      if (signal !== "SIGKILL" && signal !== "SIGTERM")
        throw new FaultRuleError(`${where}.signal: expected "SIGKILL" or "SIGTERM", got ${JSON.stringify(signal)}`);
      return { kind, signal };
    }
    case "hang":
    case "reset-before":
    case "reset-after-commit":
    case "malformed-json":
    case "html-502":
    case "revoke-tokens":
      onlyKeys(v, ["kind"], where);
      return { kind };
    default:
      throw new FaultRuleError(`${where}.kind: expected one of ${FAULT_KINDS.join(", ")}, got ${JSON.stringify(kind)}`);
  }
}

/** A validated copy of `v`; `times` becomes a positive integer or `Infinity`. */
export function parseFaultRule(v: unknown, where = "rule"): FaultRule & { times: number } {
  if (!isObj(v)) throw new FaultRuleError(`${where}: expected an object {endpoint, nth?, times?, fault}`);
  onlyKeys(v, ["endpoint", "nth", "times", "fault"], where);
  const endpoint = v["endpoint"];
  if (endpoint !== "*" && !isEndpointName(endpoint))
    throw new FaultRuleError(`${where}.endpoint: expected "*" or one of ${ENDPOINT_NAMES.join(", ")}, got ${JSON.stringify(endpoint)}`);
  const rule: FaultRule & { times: number } = { endpoint, times: parseTimes(v["times"], where), fault: parseFault(v["fault"], `${where}.fault`) };
  if (v["nth"] !== undefined) rule.nth = int(v, "nth", where, 1);
  return rule;
}

function parseTimes(v: unknown, where: string): number {
  if (v === undefined) return 1;
  if (v === -1 || v === Infinity || v === "Infinity") return Infinity;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new FaultRuleError(`${where}.times: expected a positive integer, -1 or Infinity, got ${JSON.stringify(v)}`);
  return v;
}

/** One rule or an array of rules (as YEASTAR_EMULATOR_FAULTS and POST /__emulator/faults accept). */
export function parseFaultRules(v: unknown, where = "faults"): (FaultRule & { times: number })[] {
  return Array.isArray(v) ? v.map((r, i) => parseFaultRule(r, `${where}[${i}]`)) : [parseFaultRule(v, where)];
}
