/**
 * The resource's inputs, validated offline so that bad input fails at `pulumi preview`
 * with a message that names the property and the fix, before any API call.
 */
import { z } from "zod";
import { isYeastarId } from "./ids";

/** The value the engine passes for inputs that are not known yet during preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const EXAMPLE_SN = "3631E0997265";
const EXAMPLE_SERVICE_ID = "3299326068732223488";
const EXAMPLE_BILLING_ID = "3197218168379846218";

/** Validated inputs of a HotelModuleLicense, as stored in state. */
export interface LicenseInputs {
  productNo: string;
  serviceId?: string;
  billingContactId?: string;
  billingContactEmail?: string;
  /** false: fail instead of adopting a live Hotel Module order that already exists for the SN. */
  adoptExisting?: boolean;
  /** Adopt this existing order (ID or order number) instead of buying. */
  existingOrderId?: string;
  /** Our reference stamped into the order's poNumber (set by the resource, not by users). */
  orderReference?: string;
}

export const INPUT_NAMES = ["productNo", "serviceId", "billingContactId", "billingContactEmail", "adoptExisting", "existingOrderId", "orderReference"] as const;

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/** Why `sn` is not a P-Series serial number, or undefined when it is one. */
export function serialNumberProblem(sn: unknown): string | undefined {
  const where = `(PBX web portal → Information → Serial Number)`;
  if (sn === undefined || sn === null || sn === "") return `productNo is required: the PBX serial number, 12 characters such as ${EXAMPLE_SN} ${where}`;
  if (typeof sn !== "string") return `productNo must be a string such as "${EXAMPLE_SN}", got ${describe(sn)}`;
  const nonAscii = [...sn].find((ch) => (ch.codePointAt(0) ?? 0) > 0x7e);
  if (nonAscii !== undefined) {
    const code = (nonAscii.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    return `productNo ${JSON.stringify(sn)} contains the non-ASCII character "${nonAscii}" (U+${code}); type the SN in plain ASCII letters and digits, such as ${EXAMPLE_SN}`;
  }
  if (/\s/.test(sn)) return `productNo ${JSON.stringify(sn)} contains white space; remove it: ${JSON.stringify(sn.replace(/\s+/g, ""))}`;
  if (/[a-z]/.test(sn)) return `productNo ${JSON.stringify(sn)} has lowercase letters; Yeastar SNs are uppercase: ${JSON.stringify(sn.toUpperCase())}`;
  if (!/^[0-9A-Z]*$/.test(sn)) return `productNo ${JSON.stringify(sn)} may only hold digits and uppercase letters, such as ${EXAMPLE_SN}`;
  if (sn.length !== 12) return `productNo ${JSON.stringify(sn)} has ${sn.length} characters; a P-Series SN has 12, such as ${EXAMPLE_SN} ${where}`;
  return undefined;
}

/** Why `value` is not a usable Yeastar ID for input `name`, or undefined when it is one. */
export function idProblem(name: string, value: unknown, example: string): string | undefined {
  if (typeof value === "number" || typeof value === "bigint") {
    return `${name} must be a string of digits such as "${example}": a JavaScript number loses digits above 2^53 (got ${String(value)}); quote the ID exactly as the API or portal shows it`;
  }
  if (typeof value !== "string") return `${name} must be a string of digits such as "${example}", got ${describe(value)}`;
  if (value.trim() !== value) return `${name} ${JSON.stringify(value)} contains white space; remove it`;
  if (value === "") return `${name} is empty; remove it to let the provider look the ID up, or set it to an ID such as "${example}"`;
  if (/^[+-]/.test(value)) return `${name} ${JSON.stringify(value)} has a sign; Yeastar IDs are positive whole numbers such as "${example}"`;
  if (/[.eE]/.test(value) && /^[+-]?[\d.]+([eE][+-]?\d+)?$/.test(value))
    return `${name} ${JSON.stringify(value)} is a decimal or exponent; give all digits of the ID, such as "${example}"`;
  if (!/^\d+$/.test(value)) return `${name} ${JSON.stringify(value)} may only hold digits, such as "${example}"`;
  if (value.startsWith("0")) return `${name} ${JSON.stringify(value)} has a leading zero; Yeastar IDs do not start with 0`;
  if (!isYeastarId(value))
    return `${name} ${JSON.stringify(value)} has ${value.length} digits and is larger than a Yeastar ID can be (at most 19 digits, ≤ 9223372036854775807)`;
  return undefined;
}

/** Why `value` is neither an order ID (digits) nor an order number (e.g. AW3327600636501164032). */
export function orderIdProblem(value: unknown): string | undefined {
  const fix = 'the order ID (digits, e.g. "1507959") or the order number (e.g. "AW3327600636501164032") from Partner Portal → Orders and Billing → Orders';
  if (typeof value !== "string") return `existingOrderId must be a string: ${fix}; got ${describe(value)}`;
  if (value.trim() !== value || value === "") return `existingOrderId ${JSON.stringify(value)} is empty or has white space; use ${fix}`;
  if (/^\d+$/.test(value)) return isYeastarId(value) ? undefined : `existingOrderId ${JSON.stringify(value)} is not an order ID; use ${fix}`;
  if (/^[A-Z]{2}\d{6,30}$/.test(value)) return undefined;
  return `existingOrderId ${JSON.stringify(value)} is neither an order ID nor an order number; use ${fix}`;
}

/** Why `value` is not an e-mail address, or undefined when it is one. */
export function emailProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return `billingContactEmail must be a string such as "billing@example.com", got ${describe(value)}`;
  if (value.trim() !== value) return `billingContactEmail ${JSON.stringify(value)} contains leading or trailing white space; remove it`;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
    return `billingContactEmail ${JSON.stringify(value)} is not an e-mail address; use the address of a billing contact in the Partner Portal (Billing Receiver)`;
  return undefined;
}

function isUnknown(value: unknown): boolean {
  return value === UNKNOWN_VALUE;
}

const optionalId = (name: string, example: string) =>
  z.unknown().superRefine((v, ctx) => {
    if (v === undefined || isUnknown(v)) return;
    const problem = idProblem(name, v, example);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });

/** The zod schema behind `check`: every issue's message is the full, user-facing reason. */
export const licenseInputsSchema = z
  .object({
    productNo: z.unknown().superRefine((v, ctx) => {
      if (isUnknown(v)) return;
      const problem = serialNumberProblem(v);
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }),
    serviceId: optionalId("serviceId", EXAMPLE_SERVICE_ID),
    billingContactId: optionalId("billingContactId", EXAMPLE_BILLING_ID),
    billingContactEmail: z.unknown().superRefine((v, ctx) => {
      if (v === undefined || isUnknown(v)) return;
      const problem = emailProblem(v);
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }),
    adoptExisting: z.unknown().superRefine((v, ctx) => {
      if (v === undefined || isUnknown(v) || typeof v === "boolean") return;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `adoptExisting must be true or false, got ${describe(v)}` });
    }),
    existingOrderId: z.unknown().superRefine((v, ctx) => {
      if (v === undefined || isUnknown(v)) return;
      const problem = orderIdProblem(v);
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }),
    orderReference: z.unknown().superRefine((v, ctx) => {
      if (v === undefined || isUnknown(v)) return;
      if (typeof v !== "string" || v.length > 64)
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "orderReference is set by HotelModuleLicense itself; do not set it" });
    }),
  })
  .passthrough()
  .superRefine((obj, ctx) => {
    for (const key of Object.keys(obj)) {
      if (key === "__provider" || (INPUT_NAMES as readonly string[]).includes(key)) continue;
      const suggestion = suggestInput(key);
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [key],
        message: `unknown input ${JSON.stringify(key)}${suggestion ? ` (did you mean ${suggestion}?)` : ""}; HotelModuleLicense takes ${INPUT_NAMES.filter((n) => n !== "orderReference").join(", ")}`,
      });
    }
    if (obj.billingContactId !== undefined && obj.billingContactEmail !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["billingContactEmail"],
        message: "set billingContactId or billingContactEmail, not both: they choose the same billing contact",
      });
    }
  });

function suggestInput(key: string): string | undefined {
  const k = key.toLowerCase().replace(/[^a-z]/g, "");
  const aliases: Record<string, string> = {
    sn: "productNo",
    serialnumber: "productNo",
    serial: "productNo",
    productno: "productNo",
    billingid: "billingContactId",
    billingcontactid: "billingContactId",
    serviceid: "serviceId",
    email: "billingContactEmail",
    billingemail: "billingContactEmail",
    billingcontactemail: "billingContactEmail",
  };
  return aliases[k];
}

export interface CheckFailureLike {
  property: string;
  reason: string;
}

/** Validates raw inputs; returns failures naming each property, or the typed inputs. */
export function validateInputs(raw: Record<string, unknown>): { ok: true; inputs: LicenseInputs } | { ok: false; failures: CheckFailureLike[] } {
  const parsed = licenseInputsSchema.safeParse(raw);
  if (!parsed.success) {
    const failures = parsed.error.issues.map((issue) => ({ property: String(issue.path[0] ?? "inputs"), reason: issue.message }));
    return { ok: false, failures };
  }
  const inputs: LicenseInputs = { productNo: raw.productNo as string };
  for (const name of ["serviceId", "billingContactId", "billingContactEmail", "existingOrderId", "orderReference"] as const) {
    const v = raw[name];
    if (typeof v === "string") inputs[name] = v;
  }
  if (typeof raw.adoptExisting === "boolean") inputs.adoptExisting = raw.adoptExisting;
  return { ok: true, inputs };
}
