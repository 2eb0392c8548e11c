/**
 * Finding the Hotel Module's `serviceId` in what product 11 offers for an SN.
 * The layout of `purchase_product_info` was not retrieved from the docs, so services are
 * collected wherever the result lists them (top level or under plans).
 */
import { z } from "zod";
import type { PartnerClient } from "./client";
import { ResolutionError } from "./errors";
import { apiId } from "./ids";

export const APPLIANCE_PRODUCT_ID = 11;
export const HOTEL_MODULE_NAME = "Hotel Module";
export const PRODUCT_INFO_PATH = "/pricing/openapi/purchase/v1/purchase_product_info";

/** A service entry as offered; `name` comes from `name` or `serviceName`. */
export interface OfferedService {
  serviceId: string;
  name: string;
  purchaseType: string | undefined;
}

const serviceEntrySchema = z
  .object({
    serviceId: apiId,
    serviceName: z.string().optional(),
    name: z.string().optional(),
    purchaseType: z.string().optional(),
  })
  .passthrough();

/** Every object with a `serviceId` anywhere in the result, in document order, without duplicates. */
export function collectOfferedServices(result: unknown): OfferedService[] {
  const found: OfferedService[] = [];
  const seen = new Set<string>();
  const visit = (node: unknown, depth: number): void => {
    if (depth > 8 || node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const entry = serviceEntrySchema.safeParse(node);
    if (entry.success) {
      const name = (entry.data.serviceName ?? entry.data.name ?? "").trim();
      const key = `${entry.data.serviceId}|${name}|${entry.data.purchaseType ?? ""}`;
      if (!seen.has(key)) {
        seen.add(key);
        found.push({ serviceId: entry.data.serviceId, name, purchaseType: entry.data.purchaseType });
      }
    }
    for (const value of Object.values(node)) visit(value, depth + 1);
  };
  visit(result, 0);
  return found;
}

/**
 * Picks the Hotel Module from the offer: exact name (product 11 also sells "Hotel PMS
 * Integration"), purchasable (`purchaseType` purchase or absent). A pinned ID must be that service.
 * @throws ResolutionError naming what was offered
 */
export function pickHotelModule(offered: OfferedService[], productNo: string, pinnedServiceId?: string): string {
  const offeredNames = () =>
    offered.length === 0
      ? "no services at all"
      : offered
          .map((s) => `${JSON.stringify(s.name || "(unnamed)")} ${s.serviceId}${s.purchaseType && s.purchaseType !== "purchase" ? ` (${s.purchaseType})` : ""}`)
          .join(", ");
  const hotel = offered.filter((s) => s.name === HOTEL_MODULE_NAME);
  const purchasable = hotel.filter((s) => s.purchaseType === undefined || s.purchaseType === "purchase");
  const ids = [...new Set(purchasable.map((s) => s.serviceId))];

  if (pinnedServiceId !== undefined) {
    if (ids.includes(pinnedServiceId)) return pinnedServiceId;
    const other = offered.find((s) => s.serviceId === pinnedServiceId);
    if (other && other.name !== HOTEL_MODULE_NAME) {
      throw new ResolutionError(
        `serviceId ${pinnedServiceId} is ${JSON.stringify(other.name)}, not ${JSON.stringify(HOTEL_MODULE_NAME)}, for SN ${productNo}; nothing was bought. Remove serviceId to let the provider look the Hotel Module up${ids.length === 1 ? `, or pin ${ids[0]}` : ""}`,
      );
    }
    throw new ResolutionError(
      `serviceId ${pinnedServiceId} is not offered as a purchasable ${JSON.stringify(HOTEL_MODULE_NAME)} for SN ${productNo} (offered: ${offeredNames()}); nothing was bought. Remove serviceId or pin the offered ID`,
    );
  }
  if (ids.length === 1) return ids[0] as string;
  if (ids.length > 1) {
    throw new ResolutionError(
      `product ${APPLIANCE_PRODUCT_ID} offers ${ids.length} services named ${JSON.stringify(HOTEL_MODULE_NAME)} for SN ${productNo} (${ids.join(", ")}); pin the one to buy with serviceId`,
    );
  }
  if (hotel.length > 0) {
    throw new ResolutionError(
      `the Hotel Module is offered for SN ${productNo} only as ${hotel.map((s) => s.purchaseType).join(", ")}, not for purchase (a trial plan may be active; the module needs a paid plan); nothing was bought`,
    );
  }
  throw new ResolutionError(
    `no service named ${JSON.stringify(HOTEL_MODULE_NAME)} is offered for SN ${productNo} (offered: ${offeredNames()}); check that the SN is a P-Series Appliance Edition PBX of this partner account`,
  );
}

/** The services product 11 offers for an SN. */
export async function fetchOfferedServices(client: PartnerClient, productNo: string): Promise<OfferedService[]> {
  const { result } = await client.request({
    method: "GET",
    path: PRODUCT_INFO_PATH,
    query: { productId: APPLIANCE_PRODUCT_ID, productNo },
    auth: true,
    idempotent: true,
    schema: z.unknown(),
  });
  return collectOfferedServices(result);
}
