/** The founding tutorial's sample exchange (shared/hotel-module-tutorial.txt), shared by tests. */

/** The tutorial's Create an Order body, verbatim: bare 19-digit numbers above 2^53. */
export const TUTORIAL_ORDER_BODY = `{
"operationType": "purchase_service",
"productId": 11,
"productNo": "3631E0997265",
"billingId": 3197218168379846218,
"serviceList": [
{
"serviceType": "service",
"serviceId": 3299326068732223488,
"purchaseType": "purchase",
"billingModel": "once",
"billingCycle": "once",
"multiCycle": 0
}
]
}`;

/** The same body without white space, as a JSON writer sends it. */
export const TUTORIAL_ORDER_BODY_COMPACT = TUTORIAL_ORDER_BODY.replace(/\s+/g, "");
