/** Device endpoints: Query Product List, Get Product Details, Query Product Model (reference section 11). */
import { APPLIANCE_PRODUCT_ID, findProduct, productModelFor } from "./data";
import type { Route, RequestContext } from "./dispatcher";
import { ok, type Reply } from "./envelope";
import { productNotFound } from "./handlers-catalog";
import { deviceNotFound, intParam, paginate, requireOwnedDevice, stringParam } from "./query";
import type { EmulatorState } from "./state";

export const productRoutes: readonly Route[] = [
  {
    id: "product.instance_product_list",
    method: "GET",
    pattern: /^\/product\/openapi\/instance_product\/v1\/client\/instance_product_list$/,
    auth: true,
    handle: instanceProductList,
  },
  { id: "product.detail", method: "GET", pattern: /^\/product\/openapi\/instance_product\/v1\/detail$/, auth: true, handle: productDetail },
  { id: "product.product_model", method: "GET", pattern: /^\/product\/openapi\/instance\/v1\/product_model$/, auth: true, handle: productModel },
];

const DAY_MS = 24 * 60 * 60 * 1000;

/** Product-11 SNs to list: the configured devices, or (devices "any") the SNs seen in orders. */
function listedDevices(state: EmulatorState): string[] {
  const { devices } = state.config;
  if (devices !== "any") return [...devices];
  const seen = state.ledger.orders.filter((o) => o.productId === APPLIANCE_PRODUCT_ID && o.productNo !== "").map((o) => o.productNo);
  return [...new Set(seen)];
}

function deviceInfo(state: EmulatorState, sn: string): Record<string, unknown> {
  return {
    activationCode: "",
    activationStatus: "activated",
    comment: "",
    createTime: state.startedAt - 30 * DAY_MS,
    productId: APPLIANCE_PRODUCT_ID,
    productModel: productModelFor(sn),
    productNo: sn,
  };
}

function instanceProductList(ctx: RequestContext): Reply {
  const productId = intParam(ctx.query, "productId", { required: true }) as number;
  if (!findProduct(productId)) throw productNotFound(productId);
  const devices = productId === APPLIANCE_PRODUCT_ID ? listedDevices(ctx.state) : [];
  const page = paginate(devices, ctx.query);
  return ok({ ...page, results: page.results.map((sn) => deviceInfo(ctx.state, sn)) });
}

/** Validates `productNo` + `productId` of an owned product-11 device and returns the SN. */
function ownedDevice(ctx: RequestContext): string {
  const productNo = stringParam(ctx.query, "productNo", true) as string;
  const productId = intParam(ctx.query, "productId", { required: true }) as number;
  if (!findProduct(productId)) throw productNotFound(productId);
  if (productId !== APPLIANCE_PRODUCT_ID) throw deviceNotFound(productNo);
  requireOwnedDevice(ctx.state, productNo);
  return productNo;
}

function productDetail(ctx: RequestContext): Reply {
  const sn = ownedDevice(ctx);
  const expires = new Date(ctx.state.startedAt + 335 * DAY_MS).toISOString().slice(0, 10);
  return ok({ ...deviceInfo(ctx.state, sn), currentPlan: "", currentPlanExpireDate: expires });
}

function productModel(ctx: RequestContext): Reply {
  return ok({ productModel: productModelFor(ownedDevice(ctx)) });
}
