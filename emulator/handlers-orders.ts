/** Order endpoints: Create an Order, Query Order List, Get Order Details (reference sections 9 and 10). */
import { findProduct, type CatalogProduct } from "./data";
import type { Route, RequestContext } from "./dispatcher";
import { ApiError, ok, validationError, type Reply } from "./envelope";
import { mediaType } from "./forms";
import { productNotFound, servicesOf } from "./handlers-catalog";
import { parseOrderBody, type OrderLine, type OrderRequest } from "./order-body";
import { paginate, requireOwnedDevice } from "./query";
import type { EmulatorState } from "./state";
import type { EmulatorBillingContact, EmulatorOrder } from "./types";

export const orderRoutes: readonly Route[] = [
  { id: "order.save", method: "POST", pattern: /^\/order\/openapi\/order\/v1\/save$/, auth: true, handle: saveOrder },
  { id: "order.page", method: "GET", pattern: /^\/order\/openapi\/order\/v1\/page$/, auth: true, handle: orderPage },
  { id: "order.get", method: "GET", pattern: /^\/order\/openapi\/order\/v1\/get\/(?<id>[^/]+)$/, auth: true, handle: orderDetails },
];

/** Catalogue item an order line refers to. */
interface LineItem {
  id: string;
  name: string;
  purchaseType: string;
  billingModel: string;
  billingCycle: string;
  price: number;
}

function saveOrder(ctx: RequestContext): Reply {
  const type = mediaType(ctx.headers["content-type"]);
  if (type !== "application/json") {
    throw new ApiError(415, "unsupported_media_type", `Content-Type ${JSON.stringify(type)} is not supported here; send application/json`);
  }
  const req = parseOrderBody(ctx.body);
  const { state } = ctx;
  const product = findProduct(req.productId);
  if (!product) throw productNotFound(req.productId);
  checkDevice(state, product, req);
  if (req.assignId !== undefined) throw new ApiError(400, "partner_not_found", `No subordinate user with ID ${JSON.stringify(req.assignId)}`);
  const contact = state.config.billingContacts.find((c) => c.billingContactId === req.billingId);
  if (!contact) {
    throw new ApiError(400, "billing_contact_not_found", `No billing contact with ID ${req.billingId} (IDs must be sent digit for digit)`, {
      field: "billingId",
      value: req.billingId,
    });
  }
  const items = req.serviceList.map((line, i) => checkLine(state, product, req, line, `serviceList[${i}]`));
  if (req.operationType.endsWith("_plan") && !req.serviceList.some((l) => l.serviceType === "plan")) {
    throw validationError("serviceList", "operation_type", `${req.operationType} needs at least one item with serviceType plan`);
  }

  const productNo = req.productNo ?? "";
  const ids = state.ledger.allocate(req.productId, productNo);
  const order: EmulatorOrder = {
    ...ids,
    productId: req.productId,
    productNo,
    billingId: req.billingId,
    serviceIds: items.map((i) => i.id),
    serviceNames: items.map((i) => i.name),
    operationType: req.operationType,
    poNumber: req.poNumber ?? "",
    orderStatus: state.config.initialOrderStatus,
    createTime: state.config.clock(),
    rawBody: ctx.body,
    requestId: ctx.requestId,
  };
  ctx.commit(order);
  return ok({
    instanceId: order.instanceId,
    orderId: order.orderId,
    orderNo: order.orderNo,
    orderStatus: order.orderStatus,
    productNo,
    transactionNo: order.transactionNo,
  });
}

function checkDevice(state: EmulatorState, product: CatalogProduct, req: OrderRequest): void {
  const newInstance = req.operationType === "purchase_plan" || req.operationType === "trial_plan";
  if (req.productNo === undefined) {
    if (product.requiresProductNo || !newInstance)
      throw validationError("productNo", "required", "productNo (the SN) is required for an order on an existing device");
    return;
  }
  if (product.requiresProductNo) requireOwnedDevice(state, req.productNo);
}

function checkLine(state: EmulatorState, product: CatalogProduct, req: OrderRequest, line: OrderLine, at: string): LineItem {
  const [verb, kind] = req.operationType.split("_") as [string, string];
  if (kind === "service" && line.serviceType !== "service")
    throw validationError(`${at}.serviceType`, "operation_type", `${req.operationType} orders services only`);
  // switchTrial_plan: the matching purchaseType is not documented, so any is accepted.
  const expectedPurchaseType = verb === "switchTrial" ? line.purchaseType : verb;
  if (line.purchaseType !== expectedPurchaseType) {
    throw validationError(`${at}.purchaseType`, "operation_type", `${req.operationType} needs purchaseType ${expectedPurchaseType}`);
  }
  const item = lineItem(state, product, line);
  if (!item) {
    const what = line.serviceType === "service" ? "service" : "plan";
    throw new ApiError(400, `${what}_not_found`, `Product ${product.productId} offers no ${what} with ID ${line.serviceId}`, {
      field: `${at}.serviceId`,
      value: line.serviceId,
    });
  }
  const mismatch = (field: string, expected: string, actual: string | undefined): ApiError =>
    new ApiError(400, "pricing_mismatch", `${at}.${field} is ${String(actual)} but ${item.name} is offered with ${expected}`, {
      field: `${at}.${field}`,
      expected,
      actual: actual ?? null,
    });
  if ((verb === "purchase" || verb === "trial") && line.purchaseType !== item.purchaseType)
    throw mismatch("purchaseType", item.purchaseType, line.purchaseType);
  if (line.billingModel !== undefined && line.billingModel !== item.billingModel) throw mismatch("billingModel", item.billingModel, line.billingModel);
  if (line.billingCycle !== undefined && line.billingCycle !== item.billingCycle) throw mismatch("billingCycle", item.billingCycle, line.billingCycle);
  return item;
}

function lineItem(state: EmulatorState, product: CatalogProduct, line: OrderLine): LineItem | undefined {
  if (line.serviceType === "service") {
    const s = servicesOf(state.config, product.productId).find((x) => x.serviceId === line.serviceId);
    return s && { id: s.serviceId, name: s.name, purchaseType: s.purchaseType, billingModel: s.billingModel, billingCycle: s.billingCycle, price: s.price };
  }
  const p = product.plans.find((x) => x.planId === line.serviceId);
  return p && { id: p.planId, name: p.name, purchaseType: p.purchaseType, billingModel: p.billingModel, billingCycle: p.billingCycle, price: p.price };
}

function invoiceNo(order: EmulatorOrder): string {
  return order.orderStatus === "succeed" || order.orderStatus === "refunded" ? `INV${order.orderNo.slice(2)}` : "";
}

function orderPage(ctx: RequestContext): Reply {
  const { config, ledger } = ctx.state;
  const newestFirst = [...ledger.orders].reverse();
  const page = paginate(newestFirst, ctx.query);
  return ok({
    ...page,
    results: page.results.map((o) => ({
      createTime: o.createTime,
      currencyCode: "USD",
      customReferenceNo: o.poNumber,
      id: o.orderId,
      invoiceNo: invoiceNo(o),
      orderNo: o.orderNo,
      orderStatus: o.orderStatus,
      ...(config.orderListIncludesProduct ? { productId: String(o.productId), productNo: o.productNo } : {}),
    })),
  });
}

function orderDetails(ctx: RequestContext): Reply {
  const id = decodePathSegment(ctx.params["id"] ?? "");
  const order = ctx.state.ledger.find(id);
  if (!order) throw new ApiError(404, "order_not_found", `No order with ID or order number ${JSON.stringify(id)}`);
  const { config } = ctx.state;
  const product = findProduct(order.productId);
  const contact: Partial<EmulatorBillingContact> = config.billingContacts.find((c) => c.billingContactId === order.billingId) ?? {};
  return ok({
    basicInformation: { productId: String(order.productId), productName: product?.orderProductName ?? "", productNo: order.productNo },
    billingInformation: {
      billingContactId: order.billingId,
      emailAddress: contact.emailAddress ?? "",
      firstName: contact.firstName ?? "",
      lastName: contact.lastName ?? "",
      company: contact.company ?? "",
    },
    orderInformation: {
      id: order.orderId,
      orderNo: order.orderNo,
      orderStatus: order.orderStatus,
      createTime: order.createTime,
      currencyCode: "USD",
      customReferenceNo: order.poNumber,
      invoiceNo: invoiceNo(order),
      transactionNo: order.transactionNo,
      instanceId: order.instanceId,
      operationType: order.operationType,
    },
    orderSummary: { serviceList: summaryLines(ctx.state, order) },
  });
}

function summaryLines(state: EmulatorState, order: EmulatorOrder): Record<string, unknown>[] {
  let lines: OrderLine[] = [];
  try {
    lines = parseOrderBody(order.rawBody).serviceList;
  } catch {
    // A hand-edited state file: fall back to the IDs alone.
  }
  const product = findProduct(order.productId);
  return order.serviceIds.map((serviceId, i) => {
    const line = lines[i];
    const item = product && line ? lineItem(state, product, line) : undefined;
    return {
      serviceId: BigInt(serviceId),
      serviceName: order.serviceNames[i] ?? "",
      serviceType: line?.serviceType ?? "service",
      purchaseType: line?.purchaseType ?? "",
      billingModel: line?.billingModel ?? item?.billingModel ?? "",
      billingCycle: line?.billingCycle ?? item?.billingCycle ?? "",
      multiCycle: line?.multiCycle ?? 0,
      quantity: line?.quantity ?? 1,
      price: item?.price ?? 0,
    };
  });
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
