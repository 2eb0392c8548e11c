// A fleet of PBXs: one Hotel Module licence per SN in stack config.
//
//   pulumi config set --path 'pbxs.lobby' 3631E0997265
//   pulumi config set --path 'pbxs.spa'   3631E3418911
//
// `pbxs` maps a stable name to an SN (changing an SN then replaces that one licence); a plain
// list of SNs works too, named by SN.
import * as pulumi from "@pulumi/pulumi";
import { HotelModuleLicense } from "pulumi-yeastar-hotel-module";

const config = new pulumi.Config();
const raw = config.requireObject<Record<string, string> | string[]>("pbxs");
const pbxs: [string, string][] = Array.isArray(raw) ? raw.map((sn) => [sn, sn]) : Object.entries(raw);
const billingContactEmail = config.get("billingContactEmail");

const licences = pbxs.map(
  ([name, productNo]) =>
    [name, new HotelModuleLicense(`hotel-module-${name}`, { productNo, ...(billingContactEmail !== undefined && { billingContactEmail }) })] as const,
);

/** What was bought, per PBX: the order and the licence instance. */
export const orders = Object.fromEntries(
  licences.map(([name, l]) => [name, { productNo: l.productNo, orderId: l.orderId, instanceId: l.instanceId, orderNo: l.orderNo, orderStatus: l.orderStatus }]),
);
