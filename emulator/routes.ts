/** The route table: every endpoint the emulator serves, in one list for the dispatcher. */
import type { Route } from "./dispatcher";
import { tokenRoute } from "./handlers-auth";
import { catalogRoutes } from "./handlers-catalog";
import { orderRoutes } from "./handlers-orders";
import { productRoutes } from "./handlers-products";

export const ROUTES: readonly Route[] = [tokenRoute, ...catalogRoutes, ...orderRoutes, ...productRoutes];
