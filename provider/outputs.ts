/**
 * The resource's outputs as stored in state: all IDs are decimal strings. A zod schema reads them
 * back, so that state written by any earlier version of this package stays readable.
 */
import { z } from "zod";

export interface LicenseOutputs {
  /** The PBX serial number the licence was bought for. */
  productNo: string;
  /** The Hotel Module service ID the order used. */
  serviceId: string;
  /** The billing contact the order used. */
  billingContactId: string;
  /** The billing contact e-mail given as input, if any (kept to compare later inputs). */
  billingContactEmail?: string;
  orderId: string;
  instanceId: string;
  orderNo: string;
  transactionNo: string;
  /** `succeed`, or `pending` while the order awaits payment in the portal, or a later status. */
  orderStatus: string;
}

const text = z.string();
export const storedOutputsSchema = z
  .object({
    productNo: text,
    serviceId: text,
    billingContactId: text,
    billingContactEmail: text.optional(),
    orderId: text,
    instanceId: text.default(""),
    orderNo: text.default(""),
    transactionNo: text.default(""),
    orderStatus: text.default(""),
  })
  .passthrough();

/** Reads outputs from state, dropping the engine's own keys. */
export function readStoredOutputs(props: Record<string, unknown>): LicenseOutputs {
  const { __provider: _ignored, ...rest } = props;
  const parsed = storedOutputsSchema.parse(rest);
  const out: LicenseOutputs = {
    productNo: parsed.productNo,
    serviceId: parsed.serviceId,
    billingContactId: parsed.billingContactId,
    orderId: parsed.orderId,
    instanceId: parsed.instanceId,
    orderNo: parsed.orderNo,
    transactionNo: parsed.transactionNo,
    orderStatus: parsed.orderStatus,
  };
  if (parsed.billingContactEmail !== undefined) out.billingContactEmail = parsed.billingContactEmail;
  return out;
}

/** What an order looks like, whether just placed or found: the outputs besides the inputs echoed. */
export interface OrderFacts {
  orderId: string;
  instanceId?: string | undefined;
  orderNo?: string | undefined;
  transactionNo?: string | undefined;
  orderStatus?: string | undefined;
}

/** Outputs for an order bought or adopted for an SN. */
export function outputsFor(
  order: OrderFacts,
  bought: { productNo: string; serviceId: string; billingContactId: string; billingContactEmail?: string | undefined },
): LicenseOutputs {
  const out: LicenseOutputs = {
    productNo: bought.productNo,
    serviceId: bought.serviceId,
    billingContactId: bought.billingContactId,
    orderId: order.orderId,
    instanceId: order.instanceId ?? "",
    orderNo: order.orderNo ?? "",
    transactionNo: order.transactionNo ?? "",
    orderStatus: order.orderStatus ?? "",
  };
  if (bought.billingContactEmail !== undefined) out.billingContactEmail = bought.billingContactEmail;
  return out;
}
