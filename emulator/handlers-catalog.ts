/** Catalogue and account endpoints: product_list, purchase_product_info, billing_contact_list, partner_list. */
import { APPLIANCE_PRODUCT_ID, PRODUCTS, findProduct, type CatalogPlan } from "./data";
import type { Route, RequestContext } from "./dispatcher";
import { ApiError, ok, type Reply } from "./envelope";
import { intParam, requireOwnedDevice, stringParam } from "./query";
import type { EmulatorConfig, ResolvedService } from "./state";

export const catalogRoutes: readonly Route[] = [
  { id: "pricing.product_list", method: "GET", pattern: /^\/pricing\/openapi\/purchase\/v1\/product_list$/, auth: true, handle: productList },
  {
    id: "pricing.purchase_product_info",
    method: "GET",
    pattern: /^\/pricing\/openapi\/purchase\/v1\/purchase_product_info$/,
    auth: true,
    handle: purchaseProductInfo,
  },
  {
    id: "user.billing_contact_list",
    method: "GET",
    pattern: /^\/user\/openapi\/user\/v1\/client\/billing_contact_list$/,
    auth: true,
    handle: billingContactList,
  },
  { id: "user.partner_list", method: "GET", pattern: /^\/user\/openapi\/user\/v1\/client\/partner_list$/, auth: true, handle: () => ok([]) },
];

function productList(): Reply {
  return ok(PRODUCTS.map((p) => ({ name: p.name, productId: p.productId })));
}

export function productNotFound(productId: number): ApiError {
  return new ApiError(404, "product_not_found", `Product ${productId} is not available to this partner account`);
}

/** The services a product offers (only product 11 has add-ons in the emulator). */
export function servicesOf(config: EmulatorConfig, productId: number): readonly ResolvedService[] {
  return productId === APPLIANCE_PRODUCT_ID ? config.services : [];
}

function purchaseProductInfo(ctx: RequestContext): Reply {
  const productId = intParam(ctx.query, "productId", { required: true }) as number;
  const product = findProduct(productId);
  if (!product) throw productNotFound(productId);
  const productNo = stringParam(ctx.query, "productNo", product.requiresProductNo);
  if (productNo !== undefined && product.requiresProductNo) requireOwnedDevice(ctx.state, productNo);
  const { config } = ctx.state;
  const services = servicesOf(config, productId).map((s) => serviceEntry(s, config.serviceNameKey));
  const planNameKey = config.serviceNameKey === "name" ? "name" : "planName";
  const plans = product.plans.map((p) => planEntry(p, planNameKey));
  const base = { offeringId: product.offeringId, productId, productNo: productNo ?? "" };
  if (config.catalogLayout === "under-plans") {
    return ok({ ...base, planList: plans.map((p) => ({ ...p, serviceList: services })) });
  }
  return ok({ ...base, planList: plans, serviceList: services });
}

function planEntry(p: CatalogPlan, nameKey: string): Record<string, unknown> {
  return {
    planId: BigInt(p.planId),
    pricingPlanId: p.pricingPlanId,
    [nameKey]: p.name,
    purchaseType: p.purchaseType,
    billingModel: p.billingModel,
    billingCycle: p.billingCycle,
    price: p.price,
    currencyCode: p.currencyCode,
  };
}

function serviceEntry(s: ResolvedService, nameKey: string): Record<string, unknown> {
  return {
    serviceId: BigInt(s.serviceId),
    pricingServiceId: s.pricingServiceId,
    [nameKey]: s.name,
    purchaseType: s.purchaseType,
    billingModel: s.billingModel,
    billingCycle: s.billingCycle,
    price: s.price,
    currencyCode: s.currencyCode,
  };
}

function billingContactList(ctx: RequestContext): Reply {
  return ok(ctx.state.config.billingContacts.map((c) => ({ ...c })));
}
