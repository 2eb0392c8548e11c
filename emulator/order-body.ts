/**
 * Structural validation of a Create an Order body (reference section 9), parsed losslessly.
 * Every failure is `parameter_validation_failed` with `result: {field, tag}`; tags: required,
 * string, integer, oneof, array, object, min. Unknown fields are ignored.
 */
import { JsonSyntaxError, parseJson, type JsonValue } from "../provider/json";
import { ApiError, validationError } from "./envelope";

export const OPERATION_TYPES = [
  "trial_plan",
  "trial_service",
  "purchase_plan",
  "purchase_service",
  "switch_plan",
  "switchTrial_plan",
  "renew_plan",
  "renew_service",
] as const;
export const SERVICE_TYPES = ["plan", "service"] as const;
export const PURCHASE_TYPES = ["purchase", "trial", "renew", "switch"] as const;
export const BILLING_MODELS = ["once", "recurring"] as const;
export const BILLING_CYCLES = ["once", "monthly", "annually"] as const;

export interface OrderLine {
  serviceType: (typeof SERVICE_TYPES)[number];
  serviceId: string; // decimal digits, exact
  purchaseType: (typeof PURCHASE_TYPES)[number];
  billingModel: (typeof BILLING_MODELS)[number] | undefined;
  billingCycle: (typeof BILLING_CYCLES)[number] | undefined;
  multiCycle: number;
  quantity: number | undefined;
}

export interface OrderRequest {
  operationType: (typeof OPERATION_TYPES)[number];
  productId: number;
  productNo: string | undefined;
  billingId: string; // decimal digits, exact
  assignId: string | undefined;
  poNumber: string | undefined;
  serviceList: OrderLine[];
}

type JsonObject = { [key: string]: JsonValue };

export function parseOrderBody(text: string): OrderRequest {
  let body: JsonValue;
  try {
    body = parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new ApiError(400, "malformed_request_body", `The request body is not valid JSON: ${e.message}`);
    throw e;
  }
  if (!isObject(body)) throw validationError("body", "object", "The request body must be a JSON object");
  const operationType = oneOf(body, "operationType", OPERATION_TYPES, "operationType", true) as OrderRequest["operationType"];
  const productNo = optionalString(body, "productNo", "productNo");
  const productId = integer(body, "productId", "productId");
  if (typeof productId === "bigint") throw validationError("productId", "integer", "productId is out of range");
  const assignId = optionalString(body, "assignId", "assignId");
  const billingId = digits(body, "billingId", "billingId");
  const poNumber = optionalString(body, "poNumber", "poNumber");
  const list = body["serviceList"];
  if (list === undefined || list === null) throw validationError("serviceList", "required", "serviceList is required");
  if (!Array.isArray(list)) throw validationError("serviceList", "array", "serviceList must be an array");
  if (list.length === 0) throw validationError("serviceList", "min", "serviceList must contain at least one item");
  const serviceList = list.map((item, i) => orderLine(item, `serviceList[${i}]`));
  return { operationType, productId, productNo, billingId, assignId, poNumber, serviceList };
}

function orderLine(item: JsonValue, at: string): OrderLine {
  if (!isObject(item)) throw validationError(at, "object", `${at} must be an object`);
  const serviceType = oneOf(item, "serviceType", SERVICE_TYPES, `${at}.serviceType`, true) as OrderLine["serviceType"];
  const serviceId = digits(item, "serviceId", `${at}.serviceId`);
  const purchaseType = oneOf(item, "purchaseType", PURCHASE_TYPES, `${at}.purchaseType`, true) as OrderLine["purchaseType"];
  const pricingRequired = purchaseType !== "trial";
  const billingModel = oneOf(item, "billingModel", BILLING_MODELS, `${at}.billingModel`, pricingRequired) as OrderLine["billingModel"];
  const billingCycle = oneOf(item, "billingCycle", BILLING_CYCLES, `${at}.billingCycle`, pricingRequired) as OrderLine["billingCycle"];
  const multiCycle = smallInteger(item, "multiCycle", `${at}.multiCycle`, 0, true) as number;
  const quantity = smallInteger(item, "quantity", `${at}.quantity`, 1, false);
  if (item["connectionPlanId"] !== undefined && item["connectionPlanId"] !== null) digits(item, "connectionPlanId", `${at}.connectionPlanId`);
  return { serviceType, serviceId, purchaseType, billingModel, billingCycle, multiCycle, quantity };
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function present(obj: JsonObject, key: string): boolean {
  return obj[key] !== undefined && obj[key] !== null;
}

function oneOf(obj: JsonObject, key: string, values: readonly string[], field: string, required: boolean): string | undefined {
  if (!present(obj, key)) {
    if (required) throw validationError(field, "required", `${field} is required`);
    return undefined;
  }
  const v = obj[key];
  if (typeof v !== "string" || !values.includes(v)) throw validationError(field, "oneof", `${field} must be one of ${values.join(" ")}`);
  return v;
}

function optionalString(obj: JsonObject, key: string, field: string): string | undefined {
  if (!present(obj, key)) return undefined;
  const v = obj[key];
  if (typeof v !== "string") throw validationError(field, "string", `${field} must be a string`);
  return v;
}

/** A required JSON integer literal (number or bigint); strings and fractions are refused. */
function integer(obj: JsonObject, key: string, field: string): number | bigint {
  if (!present(obj, key)) throw validationError(field, "required", `${field} is required`);
  const v = obj[key];
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  throw validationError(field, "integer", `${field} must be a JSON integer (a bare number, not a string or a fraction)`);
}

/** A required 64-bit ID as its exact decimal digits. */
function digits(obj: JsonObject, key: string, field: string): string {
  return integer(obj, key, field).toString();
}

function smallInteger(obj: JsonObject, key: string, field: string, min: number, required: boolean): number | undefined {
  if (!present(obj, key)) {
    if (required) throw validationError(field, "required", `${field} is required`);
    return undefined;
  }
  const v = integer(obj, key, field);
  if (typeof v === "bigint" || v < min) throw validationError(field, "min", `${field} must be an integer of at least ${min}`);
  return v;
}
