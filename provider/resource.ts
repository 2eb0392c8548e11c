/**
 * The public resource: a dynamic resource whose provider, stored in every resource's state, is a
 * one-line module that `require`s this package by name at run time. It holds no secret, no
 * schema and no client.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** Inputs of a HotelModuleLicense. IDs are strings: JavaScript numbers lose digits above 2^53. */
export interface HotelModuleLicenseArgs {
  /** The PBX serial number (SN), 12 uppercase characters such as `3631E0997265`. A change buys a new licence. */
  productNo: pulumi.Input<string>;
  /** Pins the Hotel Module service ID; by default it is looked up in product 11's offer for the SN. */
  serviceId?: pulumi.Input<string>;
  /** The billing contact that receives the invoice; by default the account's only contact. */
  billingContactId?: pulumi.Input<string>;
  /** Chooses the billing contact by e-mail address instead of by ID. */
  billingContactEmail?: pulumi.Input<string>;
  /**
   * What to do when the SN already has a live Hotel Module order (bought in the portal, by
   * another stack, or by an earlier run that crashed): adopt it (default, nothing is bought)
   * or, with `false`, fail.
   */
  adoptExisting?: pulumi.Input<boolean>;
  /**
   * Adopts this existing order (its order ID, or its order number such as
   * `AW3327600636501164032`) instead of buying: it must be a live Hotel Module order for the SN.
   * `pulumi import` cannot bring in a dynamic resource; this input does it instead.
   */
  existingOrderId?: pulumi.Input<string>;
}

/**
 * The poNumber stamped into this resource's order: `HM-<SN>-<hash of project/stack/name>`, so
 * that a later run recognises its own order from the order list alone.
 */
export function orderReference(project: string, stack: string, name: string, productNo: string): string {
  const hash = createHash("sha256").update(`${project}/${stack}/${name}`).digest("hex").slice(0, 12);
  return `HM-${productNo}-${hash}`;
}

/**
 * The `__provider` text the dynamic-provider host loads (`requireFromString(text).handler()`).
 * Written by hand instead of by the SDK's closure serializer: the serializer would store about
 * 2.3 KB of wrappers per resource (twice: inputs and outputs); this is a constant ~100 bytes that
 * is the same for every version of the package, so an upgrade never shows a `__provider` diff.
 */
export const SERIALIZED_PROVIDER = `exports.handler = () => require("pulumi-yeastar-hotel-module/provider").hotelModuleProvider;\n`;

/** The type token: the `pulumi-nodejs:dynamic` package routes it to the dynamic-provider host. */
export const RESOURCE_TYPE = "pulumi-nodejs:dynamic/yeastar:HotelModuleLicense";

/**
 * The Yeastar Hotel Module licence of one P-Series Appliance Edition PBX. `pulumi up` buys it
 * once (an order in the Partner Portal); an SN change buys a new one; destroy refunds nothing.
 */
export class HotelModuleLicense extends pulumi.CustomResource {
  declare public readonly productNo: pulumi.Output<string>;
  declare public readonly serviceId: pulumi.Output<string>;
  declare public readonly billingContactId: pulumi.Output<string>;
  declare public readonly orderId: pulumi.Output<string>;
  declare public readonly instanceId: pulumi.Output<string>;
  declare public readonly orderNo: pulumi.Output<string>;
  declare public readonly transactionNo: pulumi.Output<string>;
  /** `succeed`, or `pending` while the order awaits payment in the portal. */
  declare public readonly orderStatus: pulumi.Output<string>;

  constructor(name: string, args: HotelModuleLicenseArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = {
      ...args,
      serviceId: undefined,
      billingContactId: undefined,
      orderId: undefined,
      instanceId: undefined,
      orderNo: undefined,
      transactionNo: undefined,
      orderStatus: undefined,
    };
    // Inputs the user gave win over the output placeholders above.
    for (const [key, value] of Object.entries(args)) props[key] = value;
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    props.orderReference = pulumi.output(args.productNo).apply((sn) => orderReference(project, stack, name, sn));
    props.__provider = SERIALIZED_PROVIDER;
    super(RESOURCE_TYPE, name, props, opts);
  }
}
