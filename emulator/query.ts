/** Query-string parameter checks shared by the GET endpoints, and paging (`pageNo`/`pageSize`). */
import { ApiError, validationError } from "./envelope";
import { ownsDevice, type EmulatorState } from "./state";

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

interface IntRule {
  required?: boolean;
  min?: number;
  max?: number;
}

/** An integer query parameter; `undefined` when absent and not required. */
export function intParam(query: Record<string, string>, name: string, rule: IntRule = {}): number | undefined {
  const raw = query[name];
  if (raw === undefined || raw === "") {
    if (rule.required) throw validationError(name, "required", `${name} is required`);
    return undefined;
  }
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw validationError(name, "integer", `${name} must be an integer, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (rule.min !== undefined && value < rule.min) throw validationError(name, "min", `${name} must be at least ${rule.min}`);
  if (rule.max !== undefined && value > rule.max) throw validationError(name, "max", `${name} must be at most ${rule.max}`);
  return value;
}

export function stringParam(query: Record<string, string>, name: string, required: boolean): string | undefined {
  const raw = query[name];
  if (raw === undefined || raw === "") {
    if (required) throw validationError(name, "required", `${name} is required`);
    return undefined;
  }
  return raw;
}

export function deviceNotFound(productNo: string): ApiError {
  return new ApiError(404, "device_not_found", `No device with SN ${JSON.stringify(productNo)} belongs to this partner account`);
}

/** Throws `device_not_found` unless the account owns this product-11 SN. */
export function requireOwnedDevice(state: EmulatorState, productNo: string): void {
  if (!ownsDevice(state.config, productNo)) throw deviceNotFound(productNo);
}

export interface Page<T> {
  count: number;
  pageNo: number;
  pageSize: number;
  results: T[];
  total: number;
  totalPage: number;
}

export function pageParams(query: Record<string, string>): { pageNo: number; pageSize: number } {
  const pageNo = intParam(query, "pageNo", { min: 1 }) ?? 1;
  const pageSize = intParam(query, "pageSize", { min: 1, max: MAX_PAGE_SIZE }) ?? DEFAULT_PAGE_SIZE;
  return { pageNo, pageSize };
}

export function paginate<T>(items: readonly T[], query: Record<string, string>): Page<T> {
  const { pageNo, pageSize } = pageParams(query);
  const total = items.length;
  return {
    count: total,
    pageNo,
    pageSize,
    results: items.slice((pageNo - 1) * pageSize, pageNo * pageSize),
    total,
    totalPage: Math.ceil(total / pageSize),
  };
}
