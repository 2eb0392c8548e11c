/**
 * The order endpoints: the one call that spends money (sent once, never retried) and the
 * read-only look-ups used to refresh and to settle an ambiguous outcome.
 */
import { orderDetailsSchema, orderPageSchema, orderResultSchema, type OrderDetails, type OrderPage, type OrderResult } from "./api-schemas";
import type { ApiResponse, PartnerClient } from "./client";
import { APPLIANCE_PRODUCT_ID } from "./catalog";
import { idToJsonNumber } from "./ids";

export const ORDER_SAVE_PATH = "/order/openapi/order/v1/save";
export const ORDER_PAGE_PATH = "/order/openapi/order/v1/page";
export const orderDetailsPath = (id: string): string => `/order/openapi/order/v1/get/${encodeURIComponent(id)}`;

/** What one Hotel Module purchase needs. IDs are decimal strings. */
export interface HotelModulePurchase {
  productNo: string;
  billingId: string;
  serviceId: string;
  /** Our own reference, stamped into the order so we can recognise it later. */
  poNumber?: string;
}

/**
 * The order body exactly as the tutorial sends it: `billingId` and `serviceId` as bare JSON
 * numbers with every digit (they are `bigint` here and written by `stringifyJson`).
 */
export function hotelModuleOrderBody(p: HotelModulePurchase): Record<string, unknown> {
  const body: Record<string, unknown> = {
    operationType: "purchase_service",
    productId: APPLIANCE_PRODUCT_ID,
    productNo: p.productNo,
    billingId: idToJsonNumber(p.billingId),
  };
  if (p.poNumber !== undefined) body.poNumber = p.poNumber;
  body.serviceList = [
    {
      serviceType: "service",
      serviceId: idToJsonNumber(p.serviceId),
      purchaseType: "purchase",
      billingModel: "once",
      billingCycle: "once",
      multiCycle: 0,
    },
  ];
  return body;
}

/** Places the order. Sent exactly once: an unknown outcome is the caller's to settle. */
export function placeHotelModuleOrder(client: PartnerClient, purchase: HotelModulePurchase): Promise<ApiResponse<OrderResult>> {
  return client.request({
    method: "POST",
    path: ORDER_SAVE_PATH,
    json: hotelModuleOrderBody(purchase),
    auth: true,
    idempotent: false,
    schema: orderResultSchema,
  });
}

/** Get Order Details by order ID or order number. */
export async function getOrderDetails(client: PartnerClient, id: string): Promise<OrderDetails> {
  const { result } = await client.request({ method: "GET", path: orderDetailsPath(id), auth: true, idempotent: true, schema: orderDetailsSchema });
  return result;
}

/** One page of Query Order List. */
export async function getOrderPage(client: PartnerClient, pageNo: number, pageSize: number): Promise<OrderPage> {
  const { result } = await client.request({
    method: "GET",
    path: ORDER_PAGE_PATH,
    query: { pageNo, pageSize },
    auth: true,
    idempotent: true,
    schema: orderPageSchema,
  });
  return result;
}

/** Order states that hold (or will hold, once paid) a licence: never buy again over these. */
export const LIVE_ORDER_STATUSES = new Set(["succeed", "pending"]);
