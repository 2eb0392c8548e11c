/**
 * Buying the Hotel Module for one SN without ever buying it twice:
 * look before you buy, send the order once, settle an unknown outcome by looking it up,
 * and make sure an order that exists is always recorded in state.
 */
import type { LicenseInputs } from "./inputs";
import { pickBillingContact } from "./billing";
import { pickHotelModule } from "./catalog";
import { warn } from "./diagnostics";
import { PartnerApiError, ResolutionError } from "./errors";
import { referencePrefix, type FoundOrder } from "./history";
import { placeHotelModuleOrder } from "./orders";
import { outputsFor, type LicenseOutputs } from "./outputs";
import type { Session } from "./session";

/** Waits before each look-up that settles an order POST whose outcome is unknown. */
const SETTLE_DELAYS_MS = [500, 2000, 5000];

/**
 * Rejection for an order that exists although a later step failed: the dynamic-provider host
 * turns `id` + `properties` into "created, but failed to initialize", so the engine keeps the
 * resource (and the next `up` finishes it in `update`) instead of forgetting money spent.
 */
export class OrderRecordedError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[] = [message],
  ) {
    super(message);
    this.name = "OrderRecordedError";
  }
}

/** The reference stamped into poNumber when the resource gave none (direct provider calls). */
export function defaultReference(productNo: string): string {
  return `${referencePrefix(productNo)}unnamed`;
}

function outputsFromFound(found: FoundOrder, wanted: LicenseInputs): LicenseOutputs {
  return outputsFor(found, {
    productNo: wanted.productNo,
    serviceId: found.serviceId ?? wanted.serviceId ?? "",
    billingContactId: found.billingContactId ?? wanted.billingContactId ?? "",
    billingContactEmail: wanted.billingContactEmail,
  });
}

function warnIfPending(out: LicenseOutputs): void {
  if (out.orderStatus === "pending") {
    warn(
      `Hotel Module order ${out.orderNo || out.orderId} for SN ${out.productNo} is pending: pay it in the Partner Portal (Orders and Billing → Orders → Pay Now); \`pulumi refresh\` then shows its new status`,
    );
  }
}

/** Adopts a live order instead of buying, or refuses to when the user said so. */
function adopt(found: FoundOrder[], wanted: LicenseInputs, reference: string): LicenseOutputs {
  const chosen = found.find((o) => o.customReferenceNo === reference) ?? (found[0] as FoundOrder);
  const mine = chosen.customReferenceNo === reference;
  if (wanted.adoptExisting === false && !mine) {
    throw new Error(
      `SN ${wanted.productNo} already has a live Hotel Module order ${chosen.orderNo || chosen.orderId} (${chosen.orderStatus}); nothing was bought. Remove adoptExisting: false to adopt it, or remove this resource`,
    );
  }
  if (found.length > 1) {
    warn(
      `SN ${wanted.productNo} has ${found.length} live Hotel Module orders (${found.map((o) => o.orderNo || o.orderId).join(", ")}); adopting ${chosen.orderNo || chosen.orderId}. Check the others in the Partner Portal`,
    );
  }
  warn(
    mine
      ? `Hotel Module order ${chosen.orderNo || chosen.orderId} for SN ${wanted.productNo} was placed by an earlier run of this resource that did not finish; adopting it instead of buying again`
      : `SN ${wanted.productNo} already has Hotel Module order ${chosen.orderNo || chosen.orderId} (${chosen.orderStatus}); adopting it instead of buying again`,
  );
  const out = outputsFromFound(chosen, wanted);
  warnIfPending(out);
  return out;
}

/**
 * Ensures the SN holds the Hotel Module: adopts a live order when one exists, else buys once.
 * @throws OrderRecordedError when an order exists but could not be completed
 */
export async function ensureHotelModule(session: Session, wanted: LicenseInputs, providerText: unknown): Promise<LicenseOutputs> {
  const out = await buyOrAdopt(session, wanted, providerText);
  session.history.touch(out.orderId);
  return out;
}

function buyOrAdopt(session: Session, wanted: LicenseInputs, providerText: unknown): Promise<LicenseOutputs> {
  return session.exclusive(wanted.productNo, async () => {
    if (wanted.existingOrderId !== undefined) {
      const named = await session.history.orderById(wanted.existingOrderId, wanted.productNo);
      const out = outputsFromFound(named, wanted);
      warnIfPending(out);
      return out;
    }
    const reference = wanted.orderReference ?? defaultReference(wanted.productNo);
    const existing = await session.history.liveHotelModuleOrders(wanted.productNo).catch(beforeOrdering);
    if (existing.length > 0) return adopt(existing, wanted, reference);
    const giveBack = session.reserveOrder(wanted.productNo);

    const [serviceId, billingContactId] = await Promise.all([
      session.offeredServices(wanted.productNo).then((offered) => pickHotelModule(offered, wanted.productNo, wanted.serviceId)),
      session.billingContactList().then((contacts) =>
        pickBillingContact(contacts, {
          ...(wanted.billingContactId !== undefined && { billingContactId: wanted.billingContactId }),
          ...(wanted.billingContactEmail !== undefined && { billingContactEmail: wanted.billingContactEmail }),
        }),
      ),
    ]).catch((err: unknown) => {
      giveBack();
      return beforeOrdering(err);
    });

    let order;
    try {
      ({ result: order } = await placeHotelModuleOrder(session.client, {
        productNo: wanted.productNo,
        serviceId,
        billingId: billingContactId,
        poNumber: reference,
      }));
    } catch (err) {
      if (err instanceof PartnerApiError && err.outcomeUnknown) return settle(session, wanted, reference, err);
      giveBack();
      if (err instanceof PartnerApiError) throw err.withHint("the order was refused, so nothing was bought");
      throw err;
    }

    const out = outputsFor(order, {
      productNo: order.productNo ?? wanted.productNo,
      serviceId,
      billingContactId,
      billingContactEmail: wanted.billingContactEmail,
    });
    try {
      session.history.record({
        id: order.orderId,
        orderNo: out.orderNo,
        orderStatus: out.orderStatus || "pending",
        customReferenceNo: reference,
        productNo: wanted.productNo,
        productId: 11,
      });
      warnIfPending(out);
      return out;
    } catch (err) {
      throw new OrderRecordedError(
        `Hotel Module order ${out.orderNo || out.orderId} for SN ${out.productNo} was placed, but ${(err as Error).message}; it is recorded in state and the next \`pulumi up\` completes it without ordering again`,
        out.orderId,
        { ...out, __provider: providerText },
      );
    }
  });
}

/** A failure before the order POST: say that nothing was bought and a re-run is safe. */
function beforeOrdering(err: unknown): never {
  const hint = "no order was sent, so nothing was bought; re-running `pulumi up` is safe";
  if (err instanceof PartnerApiError) throw err.withHint(hint);
  if (err instanceof ResolutionError) throw err;
  throw new Error(`${(err as Error).message} — ${hint}`);
}

/** The order POST's outcome is unknown: look the order up instead of sending it again. */
async function settle(session: Session, wanted: LicenseInputs, reference: string, cause: PartnerApiError): Promise<LicenseOutputs> {
  let lookupError: unknown;
  for (const delay of SETTLE_DELAYS_MS) {
    await session.sleep(delay);
    session.history.reload();
    try {
      const found = await session.history.liveHotelModuleOrders(wanted.productNo);
      const mine = found.find((o) => o.customReferenceNo === reference);
      if (mine) {
        warn(
          `the answer to the Hotel Module order for SN ${wanted.productNo} was lost (${cause.kind}), but the order went through: ${mine.orderNo || mine.orderId}`,
        );
        const out = outputsFromFound(mine, wanted);
        warnIfPending(out);
        return out;
      }
      if (found.length > 0) return adopt(found, wanted, reference);
      lookupError = undefined;
    } catch (err) {
      lookupError = err;
    }
  }
  if (lookupError !== undefined) {
    throw new Error(
      `${cause.message}. Whether the order went through is unknown: looking it up failed too (${(lookupError as Error).message}). Nothing is recorded; re-running \`pulumi up\` is safe, because it looks for the order again before buying`,
    );
  }
  throw new Error(
    `${cause.message}. The order is not in the order history, so nothing was bought; re-running \`pulumi up\` is safe (it looks for the order again before buying)`,
  );
}
