export { CatalogEntry } from './catalog-entry.entity.js';
export { CatalogService, CATALOG_PAGE, type CatalogPage, type CatalogPageRequest } from './catalog.service.js';
export { CatalogTransport, CatalogVariableKind, npxCommand, type CatalogEntryData, type CatalogVariable } from './catalog-types.js';
export { fromServerJson } from './server-json/from-server-json.js';
export { toServerJson } from './server-json/to-server-json.js';
export { MarketplaceModule } from './marketplace.module.js';
export { MarketplaceProcessorsModule } from './marketplace.module.js';
export { ServerInstallation, InstallationState } from './install/server-installation.entity.js';
export { credentialNameOf } from './install/install-plan.js';
