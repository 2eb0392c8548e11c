// Bring a Hotel Module bought earlier (in the portal, or by another tool) under this stack
// without buying again. `pulumi import` cannot adopt a dynamic resource, so the order is named
// by input instead:
//
//   pulumi config set productNo 3631E0997265
//   pulumi config set existingOrderId 1507959      # order ID, or the order number AW…
//
// The order is checked to be a live Hotel Module order for that SN; nothing is bought.
// (Find it with `npx yeastar-hotel orders 3631E0997265`.)
import * as pulumi from "@pulumi/pulumi";
import { HotelModuleLicense } from "pulumi-yeastar-hotel-module";

const config = new pulumi.Config();

const licence = new HotelModuleLicense("front-desk-pbx", {
  productNo: config.require("productNo"),
  existingOrderId: config.require("existingOrderId"),
});

export const orderId = licence.orderId;
export const orderNo = licence.orderNo;
export const orderStatus = licence.orderStatus;
