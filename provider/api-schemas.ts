/**
 * zod schemas of the Partner API's responses. Fields the reference marks as undocumented or
 * not retrieved are optional, and unknown fields pass through untouched.
 */
import { z } from "zod";
import { apiId, apiText } from "./ids";

/** The wrapper of every response (reference §2). */
export const envelopeSchema = z
  .object({
    code: z.string(),
    detailMessage: z.string().optional().nullable(),
    requestId: z.string().optional().nullable(),
    result: z.unknown().optional(),
    status: z.number().optional().nullable(),
  })
  .passthrough();
export type Envelope = z.infer<typeof envelopeSchema>;

/** Token_Details (§3.1); `expiresIn` is documented as a String of seconds. */
export const tokenSchema = z
  .object({
    token: z.string().min(1),
    refreshToken: z.string().min(1).optional(),
    expiresIn: z
      .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
      .transform(Number)
      .optional(),
    tokenHead: z.string().optional(),
  })
  .passthrough();
export type TokenDetails = z.infer<typeof tokenSchema>;

/** Contact_Info (§7). */
export const billingContactSchema = z
  .object({
    billingContactId: apiId,
    emailAddress: z.string().optional().nullable(),
    firstName: z.string().optional().nullable(),
    lastName: z.string().optional().nullable(),
    company: z.string().optional().nullable(),
  })
  .passthrough();
export type BillingContact = z.infer<typeof billingContactSchema>;

/** Documented as Object<Contact_Info> but it is a list; accept a bare array or a paged object. */
export const billingContactListSchema = z.union([
  z.array(billingContactSchema),
  z.object({ results: z.array(billingContactSchema) }).transform((o) => o.results),
  z.object({ list: z.array(billingContactSchema) }).transform((o) => o.list),
  z.object({ records: z.array(billingContactSchema) }).transform((o) => o.records),
]);

/** The Create an Order result, as the tutorial shows it: six strings. */
export const orderResultSchema = z
  .object({
    orderId: apiId,
    instanceId: apiId.optional(),
    orderNo: apiText.optional(),
    orderStatus: z.string().optional(),
    productNo: z.string().optional(),
    transactionNo: apiText.optional(),
  })
  .passthrough();
export type OrderResult = z.infer<typeof orderResultSchema>;

/** Order_Info in Query Order List (§10.1); fields past `orderStatus` were not retrieved. */
export const orderListItemSchema = z
  .object({
    id: apiId,
    orderNo: apiText.optional(),
    orderStatus: z.string().optional(),
    createTime: z.union([z.number(), z.bigint(), z.string()]).optional(),
    customReferenceNo: z.string().optional().nullable(),
    productNo: z.string().optional().nullable(),
    productId: z.union([z.number(), z.string()]).optional().nullable(),
  })
  .passthrough();
export type OrderListItem = z.infer<typeof orderListItemSchema>;

export const orderPageSchema = z
  .object({
    pageNo: z.number().int().optional(),
    pageSize: z.number().int().optional(),
    results: z
      .array(orderListItemSchema)
      .nullable()
      .transform((r) => r ?? []),
    total: z.number().int().optional(),
    totalPage: z.number().int().optional(),
    count: z.number().int().optional(),
  })
  .passthrough();
export type OrderPage = z.infer<typeof orderPageSchema>;

/** Get Order Details (§10.2); only `basicInformation` is partly documented. */
export const orderDetailsSchema = z
  .object({
    basicInformation: z
      .object({
        productId: z.union([z.string(), z.number()]).transform(String).optional(),
        productName: z.string().optional().nullable(),
        productNo: z.string().optional().nullable(),
      })
      .passthrough()
      .optional(),
    billingInformation: z.object({ billingContactId: apiId.optional() }).passthrough().optional().nullable(),
    orderInformation: z
      .object({
        id: apiId.optional(),
        orderNo: apiText.optional(),
        orderStatus: z.string().optional(),
        transactionNo: apiText.optional(),
        instanceId: apiId.optional(),
        customReferenceNo: z.string().optional().nullable(),
      })
      .passthrough()
      .optional(),
    orderSummary: z.unknown().optional(),
  })
  .passthrough();
export type OrderDetails = z.infer<typeof orderDetailsSchema>;
