/**
 * Default data of the emulator: the partner account's devices, billing contacts and catalogue.
 * Values taken from the tutorial/reference are marked; the rest are emulator inventions.
 */
import type { EmulatorBillingContact, EmulatorService } from "./types";

/** SN used by the Hotel Module tutorial. */
export const TUTORIAL_SN = "3631E0997265";
/** Billing contact ID used by the Hotel Module tutorial (above 2^53). */
export const TUTORIAL_BILLING_CONTACT_ID = "3197218168379846218";
/** Second default billing contact (invented; also above 2^53 and not representable as a double). */
export const SECOND_BILLING_CONTACT_ID = "3281754460214706177";
/** Hotel Module service ID (older tutorial revision). */
export const HOTEL_MODULE_SERVICE_ID = "3299326068732223488";
/** Decoy add-on of product 11 whose name also starts with "Hotel" (invented ID). */
export const HOTEL_PMS_SERVICE_ID = "3299327459721146369";
export const HOTEL_MODULE_NAME = "Hotel Module";
export const HOTEL_PMS_NAME = "Hotel PMS Integration";

/** Devices (product 11 SNs) owned by the default partner account. "3631E3418911" is the reference's example SN. */
export const DEFAULT_DEVICES: readonly string[] = [TUTORIAL_SN, "3631E3418911", "3631E1205487", "3632E2750033"];

export const EMULATOR_CLIENT_ID = "emulator-client-id";
export const EMULATOR_CLIENT_SECRET = "emulator-client-secret-do-not-use";

/** Valid SN shape when `devices: "any"`. */
export const SN_PATTERN = /^[0-9A-Z]{12}$/;

export const APPLIANCE_PRODUCT_ID = 11;

export const DEFAULT_BILLING_CONTACTS: readonly EmulatorBillingContact[] = [
  {
    billingContactId: TUTORIAL_BILLING_CONTACT_ID,
    city: "Xiamen",
    company: "Partner Example Ltd.",
    country: "China",
    emailAddress: "partnerexample@outlook.com",
    firstName: "Partner",
    lastName: "Example",
    phoneNumber: "+86 592 5503301",
    remark: "",
    stateProvince: "Fujian",
    street: "1 Example Road",
    taxNum: "",
    zipCode: "361000",
  },
  {
    billingContactId: SECOND_BILLING_CONTACT_ID,
    city: "Lisbon",
    company: "Example Hotel Group",
    country: "Portugal",
    emailAddress: "billing@example-hotel.test",
    firstName: "Billing",
    lastName: "Desk",
    phoneNumber: "+351 21 000 0000",
    remark: "accounts payable",
    stateProvince: "Lisboa",
    street: "2 Avenida Exemplo",
    taxNum: "PT999999990",
    zipCode: "1000-001",
  },
];

export const DEFAULT_SERVICES: readonly EmulatorService[] = [
  {
    serviceId: HOTEL_MODULE_SERVICE_ID,
    pricingServiceId: "3299326069145362432",
    name: HOTEL_MODULE_NAME,
    purchaseType: "purchase",
    billingModel: "once",
    billingCycle: "once",
    price: 299,
    currencyCode: "USD",
  },
  {
    serviceId: HOTEL_PMS_SERVICE_ID,
    pricingServiceId: "3299327460098633729",
    name: HOTEL_PMS_NAME,
    purchaseType: "purchase",
    billingModel: "once",
    billingCycle: "once",
    price: 499,
    currencyCode: "USD",
  },
];

/** A subscription plan of a product (invented; plan details are NOT RETRIEVED in the reference). */
export interface CatalogPlan {
  planId: string;
  pricingPlanId: string;
  name: string;
  purchaseType: "purchase" | "trial";
  billingModel: "once" | "recurring";
  billingCycle: "once" | "monthly" | "annually";
  price: number;
  currencyCode: string;
}

export interface CatalogProduct {
  productId: number;
  /** Name in `product_list` (section 4.1). */
  name: string;
  /** `basicInformation.productName` in Get Order Details (section 10.2 wording). */
  orderProductName: string;
  /** `productNo` required by `purchase_product_info` (section 5: Linkus and Appliance). */
  requiresProductNo: boolean;
  offeringId: string;
  plans: CatalogPlan[];
}

function annualPlan(planId: string, pricingPlanId: string, name: string, price: number): CatalogPlan {
  return { planId, pricingPlanId, name, purchaseType: "purchase", billingModel: "recurring", billingCycle: "annually", price, currencyCode: "USD" };
}

export const PRODUCTS: readonly CatalogProduct[] = [
  {
    productId: 9,
    name: "Linkus Cloud Service",
    orderProductName: "Linkus Cloud Service",
    requiresProductNo: true,
    offeringId: "3048918000114774016",
    plans: [
      annualPlan("3048918321840570368", "3048918322046091264", "Linkus Cloud Service", 99),
      annualPlan("3048918719332507648", "3048918719525445632", "Linkus Cloud Service Pro", 199),
    ],
  },
  {
    productId: 11,
    name: "P-Series Appliance Edition",
    orderProductName: "P-Series Plan for Appliance Edition",
    requiresProductNo: true,
    offeringId: "3299325877421629440",
    plans: [
      annualPlan("3299325931582676992", "3299325931775614976", "Enterprise Plan", 399),
      annualPlan("3299325987110338560", "3299325987303276544", "Ultimate Plan", 699),
    ],
  },
  {
    productId: 12,
    name: "P-Series Software Edition",
    orderProductName: "Software PBX (PSE Self-hosted)",
    requiresProductNo: false,
    offeringId: "3048571100004958208",
    plans: [annualPlan("3048571206389317632", "3048571206582255616", "Enterprise Plan", 499)],
  },
  {
    productId: 13,
    name: "P-Series Cloud Edition",
    orderProductName: "Cloud PBX (PCE Instance)",
    requiresProductNo: false,
    offeringId: "3048571600197181440",
    plans: [
      annualPlan("3048571730026938368", "3048571730219876352", "Enterprise Plan", 0),
      annualPlan("3048572026291630080", "3048572026484568064", "Ultimate Plan", 0),
    ],
  },
  {
    productId: 15,
    name: "Remote Management",
    orderProductName: "Remote Management",
    requiresProductNo: false,
    offeringId: "3048575001398669312",
    plans: [annualPlan("3048575102712082432", "3048575102905020416", "Remote Management", 0)],
  },
];

export function findProduct(productId: number): CatalogProduct | undefined {
  return PRODUCTS.find((p) => p.productId === productId);
}

/** Deterministic, plausible P-Series appliance model for an SN (invented mapping). */
export function productModelFor(sn: string): string {
  const models = ["P550", "P560", "P570"];
  let sum = 0;
  for (const ch of sn) sum += ch.charCodeAt(0);
  return models[sum % models.length] as string;
}
