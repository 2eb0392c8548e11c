/**
 * The order ledger: ID allocation, lookup, status changes and optional persistence to a state file.
 *
 * IDs: order IDs count up from 1507959 and instance IDs from 1139267 (the tutorial's values);
 * order/transaction numbers are snowflake-like and derived from the order ID, so the first order
 * gets exactly the tutorial's `AW3327600636501164032` / `RS3327600637180641281`.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { parseJson, stringifyJson, type JsonValue } from "../provider/json";
import { ORDER_STATUSES, type EmulatorOrder, type OrderStatus } from "./types";

export const FIRST_ORDER_ID = 1507959;
export const FIRST_INSTANCE_ID = 1139267;
const FIRST_ORDER_NO = 3327600636501164032n;
const ORDER_NO_STEP = 4194304n; // 2^22: one snowflake millisecond
const TRANSACTION_OFFSET = 3327600637180641281n - FIRST_ORDER_NO;

export interface AllocatedIds {
  orderId: string;
  orderNo: string;
  transactionNo: string;
  instanceId: string;
}

export class Ledger {
  readonly orders: EmulatorOrder[] = [];

  constructor(private readonly stateFile?: string) {
    if (stateFile && existsSync(stateFile)) this.orders.push(...loadState(stateFile));
  }

  /** IDs for the next order; one instance per (product, SN), a new one for orders without an SN. */
  allocate(productId: number, productNo: string): AllocatedIds {
    const orderId = Math.max(FIRST_ORDER_ID - 1, ...this.orders.map((o) => Number(o.orderId))) + 1;
    const digits = FIRST_ORDER_NO + BigInt(orderId - FIRST_ORDER_ID) * ORDER_NO_STEP;
    const existing = productNo === "" ? undefined : this.orders.find((o) => o.productId === productId && o.productNo === productNo);
    const instanceId = existing ? existing.instanceId : String(Math.max(FIRST_INSTANCE_ID - 1, ...this.orders.map((o) => Number(o.instanceId))) + 1);
    return { orderId: String(orderId), orderNo: `AW${digits}`, transactionNo: `RS${digits + TRANSACTION_OFFSET}`, instanceId };
  }

  add(order: EmulatorOrder): void {
    this.orders.push(order);
    this.persist();
  }

  find(orderIdOrNo: string): EmulatorOrder | undefined {
    return this.orders.find((o) => o.orderId === orderIdOrNo || o.orderNo === orderIdOrNo);
  }

  setStatus(orderIdOrNo: string, status: OrderStatus): void {
    if (!ORDER_STATUSES.includes(status)) throw new Error(`unknown order status ${String(status)}`);
    const order = this.find(orderIdOrNo);
    if (!order) throw new Error(`no order with ID or number ${orderIdOrNo}`);
    order.orderStatus = status;
    this.persist();
  }

  private persist(): void {
    if (!this.stateFile) return;
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, stringifyJson({ version: 1, orders: this.orders }, 2) + "\n");
    renameSync(tmp, this.stateFile);
  }
}

function loadState(file: string): EmulatorOrder[] {
  const text = readFileSync(file, "utf8");
  if (text.trim() === "") return [];
  const state = parseJson(text);
  if (!isObject(state) || !Array.isArray(state["orders"])) throw new Error(`${file}: not an emulator state file (expected {"version":1,"orders":[...]})`);
  return state["orders"].map((entry, i) => toOrder(entry, `${file}: orders[${i}]`));
}

function toOrder(v: JsonValue, where: string): EmulatorOrder {
  if (!isObject(v)) throw new Error(`${where}: not an object`);
  const str = (k: string): string => {
    const x = v[k];
    if (typeof x !== "string") throw new Error(`${where}.${k}: expected a string`);
    return x;
  };
  const num = (k: string): number => {
    const x = v[k];
    if (typeof x !== "number") throw new Error(`${where}.${k}: expected a number`);
    return x;
  };
  const strs = (k: string): string[] => {
    const x = v[k];
    if (!Array.isArray(x) || !x.every((s): s is string => typeof s === "string")) throw new Error(`${where}.${k}: expected an array of strings`);
    return x;
  };
  const status = str("orderStatus");
  if (!ORDER_STATUSES.includes(status as OrderStatus)) throw new Error(`${where}.orderStatus: unknown status ${status}`);
  return {
    orderId: str("orderId"),
    orderNo: str("orderNo"),
    instanceId: str("instanceId"),
    transactionNo: str("transactionNo"),
    productId: num("productId"),
    productNo: str("productNo"),
    billingId: str("billingId"),
    serviceIds: strs("serviceIds"),
    serviceNames: strs("serviceNames"),
    operationType: str("operationType"),
    poNumber: str("poNumber"),
    orderStatus: status as OrderStatus,
    createTime: num("createTime"),
    rawBody: str("rawBody"),
    requestId: str("requestId"),
  };
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
