/**
 * The three stack programs the fleet benchmark runs, as TypeScript source written into a temp
 * stack project (never shipped, never imported by the package):
 *
 * - `ours`: N `HotelModuleLicense`s from the packed tarball.
 * - `naive`: N licences through a plain `pulumi.dynamic.Resource` whose provider is defined in
 *   the program with its own fetch-based client, so the SDK's closure serializer stores it by
 *   value in every resource. Per create it logs in, looks up the offer for the SN, looks up the
 *   billing contacts and places the order, one request after the other; per read it logs in and
 *   gets the order's details.
 * - `floor`: the same stack shape with a dynamic resource that does nothing (no API request):
 *   what the engine itself costs for N dynamic resources.
 *
 * All three read the same stack config (`licences`, `billingContactEmail`, `yeastar:*`) and
 * create resources with the same names and SNs.
 */

export type Variant = "ours" | "naive" | "floor";
export const VARIANTS: readonly Variant[] = ["ours", "naive", "floor"];

/** The SN of licence `i`: `BN` + 10 digits (12 characters, as the emulator's `devices: "any"` wants). */
export function benchSerialNumber(i: number): string {
  return `BN${String(i).padStart(10, "0")}`;
}

/** The type token of each variant's licence resource, to find one in `pulumi stack export`. */
export const RESOURCE_TYPES: Record<Variant, string> = {
  ours: "pulumi-nodejs:dynamic/yeastar:HotelModuleLicense",
  naive: "pulumi-nodejs:dynamic/naive:HotelModuleLicense",
  floor: "pulumi-nodejs:dynamic/floor:Nothing",
};

const PRELUDE = `import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const count = config.requireNumber("licences");
const billingContactEmail = config.require("billingContactEmail");
const serialNumber = (i: number): string => \`BN\${String(i).padStart(10, "0")}\`;
`;

const OURS = `${PRELUDE}import { HotelModuleLicense } from "pulumi-yeastar-hotel-module";

for (let i = 0; i < count; i++) {
  new HotelModuleLicense(\`pbx-\${i}\`, { productNo: serialNumber(i), billingContactEmail });
}
`;

const NAIVE = `${PRELUDE}
// A naive dynamic provider, as one would first write it: its own small client, everything
// looked up again for every resource, four requests one after the other per licence.

interface Settings {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

interface Envelope {
  code: string;
  detailMessage?: string;
  requestId?: string;
  result: any;
}

const USER_AGENT = "naive-hotel-module/1.0 (OpenAPI)";

class ApiError extends Error {
  constructor(method: string, path: string, status: number, envelope: Envelope | undefined, text: string) {
    super(
      envelope
        ? \`\${method} \${path} failed: HTTP \${status} \${envelope.code} \${envelope.detailMessage ?? ""} (request \${envelope.requestId ?? "?"})\`
        : \`\${method} \${path} failed: HTTP \${status} \${text.slice(0, 200)}\`,
    );
  }
}

/** JSON.parse loses digits of IDs above 2^53: quote long integers before parsing. */
function parseKeepingBigIds(text: string): any {
  return JSON.parse(text.replace(/([:\\[,]\\s*)(-?\\d{16,})(?=\\s*[,\\]}])/g, '$1"$2"'));
}

async function callApi(settings: Settings, method: string, path: string, options: { token?: string; form?: Record<string, string>; jsonText?: string } = {}): Promise<any> {
  const headers: Record<string, string> = { "User-Agent": USER_AGENT, Accept: "application/json" };
  let body: string | undefined;
  if (options.form) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(options.form).toString();
  } else if (options.jsonText !== undefined) {
    headers["Content-Type"] = "application/json";
    body = options.jsonText;
  }
  if (options.token) headers.Authorization = \`Bearer \${options.token}\`;
  const res = await fetch(settings.baseUrl + path, { method, headers, body });
  const text = await res.text();
  let envelope: Envelope | undefined;
  try {
    envelope = parseKeepingBigIds(text) as Envelope;
  } catch {
    envelope = undefined;
  }
  if (!envelope || envelope.code !== "success" || res.status >= 300) throw new ApiError(method, path, res.status, envelope, text);
  return envelope.result;
}

async function login(settings: Settings): Promise<string> {
  const result = await callApi(settings, "POST", "/auth/openapi/v1/oauth/token", {
    form: { grant_type: "pp_credentials", client_id: settings.clientId, client_secret: settings.clientSecret },
  });
  return result.token as string;
}

/** Every object with a serviceId anywhere in the offer. */
function servicesIn(node: any, found: { serviceId: string; name: string }[] = []): { serviceId: string; name: string }[] {
  if (Array.isArray(node)) {
    for (const item of node) servicesIn(item, found);
  } else if (node && typeof node === "object") {
    if (node.serviceId !== undefined) found.push({ serviceId: String(node.serviceId), name: String(node.serviceName ?? node.name ?? "") });
    for (const value of Object.values(node)) servicesIn(value, found);
  }
  return found;
}

async function hotelModuleServiceId(settings: Settings, token: string, productNo: string): Promise<string> {
  const offer = await callApi(settings, "GET", \`/pricing/openapi/purchase/v1/purchase_product_info?productId=11&productNo=\${encodeURIComponent(productNo)}\`, { token });
  const hotel = servicesIn(offer).find((s) => s.name === "Hotel Module");
  if (!hotel) throw new Error(\`no Hotel Module offered for SN \${productNo}\`);
  return hotel.serviceId;
}

async function billingContactId(settings: Settings, token: string, email: string): Promise<string> {
  const contacts = (await callApi(settings, "GET", "/user/openapi/user/v1/client/billing_contact_list", { token })) as { billingContactId: string; emailAddress?: string }[];
  const contact = contacts.find((c) => (c.emailAddress ?? "").toLowerCase() === email.toLowerCase());
  if (!contact) throw new Error(\`no billing contact has the e-mail \${email}\`);
  return String(contact.billingContactId);
}

async function placeOrder(settings: Settings, token: string, productNo: string, serviceId: string, billingId: string): Promise<any> {
  // IDs go into the body as bare digits (they do not fit a double).
  const jsonText = \`{"operationType":"purchase_service","productId":11,"productNo":\${JSON.stringify(productNo)},"billingId":\${billingId},"serviceList":[{"serviceType":"service","serviceId":\${serviceId},"purchaseType":"purchase","billingModel":"once","billingCycle":"once","multiCycle":0}]}\`;
  return callApi(settings, "POST", "/order/openapi/order/v1/save", { token, jsonText });
}

class NaiveLicenseProvider implements pulumi.dynamic.ResourceProvider {
  private settings: Settings | undefined;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.settings = {
      baseUrl: req.config.require("yeastar:baseUrl"),
      clientId: req.config.require("yeastar:clientId"),
      clientSecret: req.config.require("yeastar:clientSecret"),
    };
  }

  private requireSettings(): Settings {
    if (!this.settings) throw new Error("the provider was not configured");
    return this.settings;
  }

  async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
    const settings = this.requireSettings();
    const token = await login(settings);
    const serviceId = await hotelModuleServiceId(settings, token, inputs.productNo);
    const billingId = await billingContactId(settings, token, inputs.billingContactEmail);
    const order = await placeOrder(settings, token, inputs.productNo, serviceId, billingId);
    return {
      id: String(order.orderId),
      outs: {
        productNo: inputs.productNo,
        billingContactEmail: inputs.billingContactEmail,
        serviceId,
        billingContactId: billingId,
        orderId: String(order.orderId),
        instanceId: String(order.instanceId ?? ""),
        orderNo: String(order.orderNo ?? ""),
        transactionNo: String(order.transactionNo ?? ""),
        orderStatus: String(order.orderStatus ?? ""),
      },
    };
  }

  async read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
    const settings = this.requireSettings();
    const token = await login(settings);
    const details = await callApi(settings, "GET", \`/order/openapi/order/v1/get/\${encodeURIComponent(id)}\`, { token });
    const info = details.orderInformation ?? {};
    return { id, props: { ...props, orderStatus: String(info.orderStatus ?? props.orderStatus), orderNo: String(info.orderNo ?? props.orderNo) } };
  }

  async diff(_id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
    return { changes: olds.productNo !== news.productNo, replaces: olds.productNo !== news.productNo ? ["productNo"] : [] };
  }
}

const provider = new NaiveLicenseProvider();

class NaiveHotelModuleLicense extends pulumi.dynamic.Resource {
  constructor(name: string, args: { productNo: string; billingContactEmail: string }, opts?: pulumi.CustomResourceOptions) {
    const props = { ...args, serviceId: undefined, billingContactId: undefined, orderId: undefined, instanceId: undefined, orderNo: undefined, transactionNo: undefined, orderStatus: undefined };
    super(provider, name, props, opts, "naive", "HotelModuleLicense");
  }
}

for (let i = 0; i < count; i++) {
  new NaiveHotelModuleLicense(\`pbx-\${i}\`, { productNo: serialNumber(i), billingContactEmail });
}
`;

const FLOOR = `${PRELUDE}
// The engine floor: a dynamic resource that does nothing and sends no request.
const nothing: pulumi.dynamic.ResourceProvider = {
  async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
    return { id: inputs.productNo, outs: inputs };
  },
};

class Nothing extends pulumi.dynamic.Resource {
  constructor(name: string, args: { productNo: string; billingContactEmail: string }, opts?: pulumi.CustomResourceOptions) {
    super(nothing, name, args, opts, "floor", "Nothing");
  }
}

for (let i = 0; i < count; i++) {
  new Nothing(\`pbx-\${i}\`, { productNo: serialNumber(i), billingContactEmail });
}
`;

export const PROGRAMS: Record<Variant, string> = { ours: OURS, naive: NAIVE, floor: FLOOR };
