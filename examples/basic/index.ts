// One PBX: buy the Hotel Module for the SN in stack config.
//
//   pulumi config set productNo 3631E0997265
//   pulumi config set yeastar:clientId <client-id>
//   pulumi config set --secret yeastar:clientSecret <client-secret>
import * as pulumi from "@pulumi/pulumi";
import { HotelModuleLicense } from "pulumi-yeastar-hotel-module";

const config = new pulumi.Config();

const licence = new HotelModuleLicense("lobby-pbx", {
  productNo: config.require("productNo"),
  // Optional: choose who receives the invoice when the account has several billing contacts.
  ...(config.get("billingContactEmail") !== undefined && { billingContactEmail: config.require("billingContactEmail") }),
});

export const orderId = licence.orderId;
export const instanceId = licence.instanceId;
export const orderNo = licence.orderNo;
export const orderStatus = licence.orderStatus;
