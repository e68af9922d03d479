export { listCatalog, findCatalogModel, findCatalogGguf, catalogSourceLookup } from "./catalog.js";
export type { CatalogModel, CatalogGgufSource, CatalogLicense, HostedOffer, HostedVendor } from "./types.js";
