/**
 * Choosing the billing contact whose ID goes into the order's `billingId`
 * (the invoice goes to that contact's e-mail address).
 */
import { billingContactListSchema, type BillingContact } from "./api-schemas";
import type { PartnerClient } from "./client";
import { ResolutionError } from "./errors";

export const BILLING_CONTACTS_PATH = "/user/openapi/user/v1/client/billing_contact_list";

export interface BillingChoice {
  billingContactId?: string;
  billingContactEmail?: string;
}

function label(c: BillingContact): string {
  const name = [c.firstName, c.lastName].filter(Boolean).join(" ");
  return `${c.billingContactId} (${[name, c.emailAddress].filter(Boolean).join(", ") || "no name"})`;
}

/**
 * The pinned ID, else the contact with that e-mail (case-insensitive), else the only contact.
 * @throws ResolutionError listing the contacts when the choice is ambiguous or impossible
 */
export function pickBillingContact(contacts: BillingContact[], choice: BillingChoice): string {
  const listing = () => (contacts.length === 0 ? "none" : contacts.map(label).join("; "));
  if (choice.billingContactId !== undefined) {
    const match = contacts.find((c) => c.billingContactId === choice.billingContactId);
    if (match) return match.billingContactId;
    throw new ResolutionError(
      `billingContactId ${choice.billingContactId} is not a billing contact of this partner account (contacts: ${listing()}); nothing was bought`,
    );
  }
  if (choice.billingContactEmail !== undefined) {
    const wanted = choice.billingContactEmail.toLowerCase();
    const matches = contacts.filter((c) => (c.emailAddress ?? "").toLowerCase() === wanted);
    if (matches.length === 1) return (matches[0] as BillingContact).billingContactId;
    if (matches.length > 1)
      throw new ResolutionError(
        `${matches.length} billing contacts have the e-mail ${choice.billingContactEmail} (${matches.map(label).join("; ")}); set billingContactId to the one to use`,
      );
    throw new ResolutionError(
      `no billing contact has the e-mail ${choice.billingContactEmail} (contacts: ${listing()}); add it in the Partner Portal (Billing Receiver) or pick one of these with billingContactId`,
    );
  }
  if (contacts.length === 1) return (contacts[0] as BillingContact).billingContactId;
  if (contacts.length === 0)
    throw new ResolutionError("the partner account has no billing contact; add one in the Partner Portal (Billing Receiver) before buying");
  throw new ResolutionError(
    `the partner account has ${contacts.length} billing contacts; choose one with billingContactId or billingContactEmail: ${listing()}`,
  );
}

/** Fetches the billing contact list. */
export async function listBillingContacts(client: PartnerClient): Promise<BillingContact[]> {
  const { result } = await client.request({ method: "GET", path: BILLING_CONTACTS_PATH, auth: true, idempotent: true, schema: billingContactListSchema });
  return result;
}
