/**
 * The partner's order history, read once per provider process and indexed by SN, so that every
 * create can "look before it buys" without re-reading the whole list. The API has no filter by
 * SN and no idempotency key: this index is what keeps a retry or a re-run from buying twice.
 */
import type { OrderDetails, OrderListItem } from "./api-schemas";
import { collectOfferedServices, HOTEL_MODULE_NAME } from "./catalog";
import type { PartnerClient } from "./client";
import { PartnerApiError, ResolutionError } from "./errors";
import { KeyedSingleFlight, SingleFlight } from "./memo";
import { getOrderDetails, getOrderPage, LIVE_ORDER_STATUSES } from "./orders";

/** The `poNumber` prefix of orders this provider placed for an SN: `HM-<SN>-<resource hash>`. */
export function referencePrefix(productNo: string): string {
  return `HM-${productNo}-`;
}

/** A live (succeed or pending) Hotel Module order found for an SN. */
export interface FoundOrder {
  orderId: string;
  orderNo: string;
  orderStatus: string;
  customReferenceNo: string;
  instanceId: string;
  transactionNo: string;
  serviceId: string | undefined;
  billingContactId: string | undefined;
}

const PAGE_SIZE = 100;
/** Order pages requested together once the first page has told how many there are. */
const PAGE_BATCH = 8;

export class OrderHistory {
  private readonly items = new SingleFlight<OrderListItem[]>();
  private readonly placed: OrderListItem[] = [];
  /** Orders this process placed or adopted: their list entries may be stale, see `find`. */
  private readonly touched = new Set<string>();
  private readonly details = new KeyedSingleFlight<string, OrderDetails>();
  /** Pages read, for tests and benchmarks. */
  pagesRead = 0;

  constructor(private readonly client: PartnerClient) {}

  /** Every order in the history (read once; `reload` reads again). */
  private all(): Promise<OrderListItem[]> {
    return this.items.get(() => this.readAll());
  }

  /** Forgets what was read, so the next look-up reads the history afresh. */
  reload(): void {
    this.items.reset();
  }

  /**
   * The order's entry in the history as read from the API (once per process). Orders this
   * process placed itself are not answered from memory: their status may have moved on.
   */
  async find(orderId: string): Promise<OrderListItem | undefined> {
    if (this.touched.has(orderId)) return undefined;
    return (await this.all()).find((item) => item.id === orderId);
  }

  /** Marks an order whose status this process saw change (placed or adopted). */
  touch(orderId: string): void {
    this.touched.add(orderId);
  }

  private async readAll(): Promise<OrderListItem[]> {
    let pageSize = PAGE_SIZE;
    const first = await getOrderPage(this.client, 1, pageSize).catch((err: unknown) => {
      // The maximum page size is undocumented: fall back to the documented default of 25.
      if (err instanceof PartnerApiError && err.kind === "api" && (err.status ?? 0) < 500 && (err.status ?? 0) !== 401) {
        pageSize = 25;
        return getOrderPage(this.client, 1, pageSize);
      }
      throw err;
    });
    this.pagesRead++;
    const items = [...first.results];
    const served = first.pageSize && first.pageSize > 0 ? first.pageSize : pageSize;
    const total = first.total ?? first.count;
    const totalPage = first.totalPage ?? (total !== undefined ? Math.ceil(total / served) : 1);
    // The page count is known now: read the other pages together, a batch at a time (the
    // client's limiter bounds what is in flight), and stop after a batch with an empty page.
    for (let start = 2; start <= totalPage; start += PAGE_BATCH) {
      const numbers = Array.from({ length: Math.min(PAGE_BATCH, totalPage - start + 1) }, (_, i) => start + i);
      const pages = await Promise.all(numbers.map((pageNo) => getOrderPage(this.client, pageNo, pageSize)));
      this.pagesRead += pages.length;
      for (const page of pages) items.push(...page.results);
      if (pages.some((page) => page.results.length === 0)) break;
    }
    return items;
  }

  /** Remembers an order this process placed, so later look-ups see it without a re-read. */
  record(item: OrderListItem): void {
    this.placed.push(item);
    this.touched.add(item.id);
  }

  private orderDetails(id: string): Promise<OrderDetails> {
    return this.details.get(id, () => getOrderDetails(this.client, id));
  }

  /**
   * Live Hotel Module orders for the SN, ours (by reference) first. Orders whose list entry
   * does not show the SN or the service are checked through Get Order Details.
   * @throws ResolutionError when an order's details cannot tell whether it is a Hotel Module order
   */
  async liveHotelModuleOrders(productNo: string): Promise<FoundOrder[]> {
    const items = [...this.placed, ...(await this.all())];
    const seen = new Set<string>();
    const found: FoundOrder[] = [];
    for (const item of items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      if (item.orderStatus !== undefined && !LIVE_ORDER_STATUSES.has(item.orderStatus)) continue;
      if (item.productNo && item.productNo !== productNo) continue;
      if (item.productId !== undefined && item.productId !== null && String(item.productId) !== "11") continue;
      const reference = item.customReferenceNo ?? "";
      const ours = reference.startsWith(referencePrefix(productNo));
      if (!ours && reference.startsWith("HM-") && /^HM-[0-9A-Z]{12}-/.test(reference)) continue; // ours, for another SN
      const details = await this.orderDetails(item.id);
      const basic = details.basicInformation;
      if (!ours) {
        if (basic?.productNo && basic.productNo !== productNo) continue;
        if (basic?.productId !== undefined && basic.productId !== "11") continue;
        if (!basic?.productNo && !item.productNo) continue; // not about a device at all
      }
      const status = details.orderInformation?.orderStatus ?? item.orderStatus ?? "";
      if (!LIVE_ORDER_STATUSES.has(status)) continue;
      const services = collectOfferedServices(details.orderSummary);
      const hotel = services.find((s) => s.name === HOTEL_MODULE_NAME);
      if (!ours && services.length === 0) {
        throw new ResolutionError(
          `order ${item.orderNo ?? item.id} (${status}) for SN ${productNo} does not say which services it bought, so the provider cannot tell whether the SN already has the Hotel Module; nothing was bought. Check the order in the Partner Portal: adopt it with existingOrderId, or contact support`,
        );
      }
      if (!ours && !hotel) continue;
      found.push({
        orderId: item.id,
        orderNo: details.orderInformation?.orderNo ?? item.orderNo ?? "",
        orderStatus: status,
        customReferenceNo: reference,
        instanceId: details.orderInformation?.instanceId ?? "",
        transactionNo: details.orderInformation?.transactionNo ?? "",
        serviceId: hotel?.serviceId,
        billingContactId: details.billingInformation?.billingContactId,
      });
    }
    return found.sort(
      (a, b) => Number(b.customReferenceNo.startsWith(referencePrefix(productNo))) - Number(a.customReferenceNo.startsWith(referencePrefix(productNo))),
    );
  }

  /**
   * The order with this ID or order number, checked to be a live Hotel Module order for the SN.
   * @throws ResolutionError saying which check failed
   */
  async orderById(idOrNo: string, productNo: string): Promise<FoundOrder> {
    const details = await this.orderDetails(idOrNo);
    const basic = details.basicInformation;
    const info = details.orderInformation;
    const name = `order ${idOrNo}`;
    if (basic?.productNo !== productNo)
      throw new ResolutionError(`existingOrderId: ${name} is for SN ${basic?.productNo ?? "(none)"}, not ${productNo}; nothing was adopted or bought`);
    if (basic.productId !== undefined && basic.productId !== "11")
      throw new ResolutionError(`existingOrderId: ${name} is for product ${basic.productId}, not the P-Series Appliance Edition (11)`);
    const services = collectOfferedServices(details.orderSummary);
    const hotel = services.find((s) => s.name === HOTEL_MODULE_NAME);
    if (!hotel)
      throw new ResolutionError(
        `existingOrderId: ${name} bought ${services.map((s) => JSON.stringify(s.name)).join(", ") || "no recognisable service"}, not ${JSON.stringify(HOTEL_MODULE_NAME)}`,
      );
    const status = info?.orderStatus ?? "";
    if (!LIVE_ORDER_STATUSES.has(status))
      throw new ResolutionError(
        `existingOrderId: ${name} is ${status || "of unknown status"}, so it holds no licence; remove existingOrderId to buy the Hotel Module`,
      );
    return {
      orderId: info?.id ?? idOrNo,
      orderNo: info?.orderNo ?? "",
      orderStatus: status,
      customReferenceNo: info?.customReferenceNo ?? "",
      instanceId: info?.instanceId ?? "",
      transactionNo: info?.transactionNo ?? "",
      serviceId: hotel.serviceId,
      billingContactId: details.billingInformation?.billingContactId,
    };
  }
}
