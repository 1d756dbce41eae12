import type { MigrationInterface } from 'typeorm';
import { Foundation1795260594055 } from './1795260594055-Foundation.js';
import { ServersAndGroups1795261056798 } from './1795261056798-ServersAndGroups.js';
import { Usage1795262252470 } from './1795262252470-Usage.js';
import { ServerReplicas1795263038232 } from './1795263038232-ServerReplicas.js';
import { GroupRevisions1795263128657 } from './1795263128657-GroupRevisions.js';
import { RoutingRules1795263632587 } from './1795263632587-RoutingRules.js';
import { ServerHealth1795263664955 } from './1795263664955-ServerHealth.js';
import { UsageBatches1795821534625 } from './1795821534625-UsageBatches.js';
import { AuditorRole1795829811297 } from './1795829811297-AuditorRole.js';
import { SignInSessions1795829973786 } from './1795829973786-SignInSessions.js';
import { Alerts1795830344947 } from './1795830344947-Alerts.js';
import { SignIn1795830400727 } from './1795830400727-SignIn.js';
import { Teams1795830748774 } from './1795830748774-Teams.js';
import { AuditLog1795831170531 } from './1795831170531-AuditLog.js';
import { CallLog1795840000000 } from './1795840000000-CallLog.js';
import { PasswordChangeRequired1795850000000 } from './1795850000000-PasswordChangeRequired.js';
import { ToolPinning1795851695262 } from './1795851695262-ToolPinning.js';
import { ToolNaming1795861000000 } from './1795861000000-ToolNaming.js';
import { MarketplaceCatalog1795870000000 } from './1795870000000-MarketplaceCatalog.js';
import { Credentials1795879000000 } from './1795879000000-Credentials.js';
import { Backups1795880000000 } from './1795880000000-Backups.js';
import { EncryptionKeys1795881000000 } from './1795881000000-EncryptionKeys.js';
import { ServerInstallations1795882000000 } from './1795882000000-ServerInstallations.js';
import { UpstreamOAuth1795883000000 } from './1795883000000-UpstreamOAuth.js';
import { ServerEndpoints1795884000000 } from './1795884000000-ServerEndpoints.js';
import { CatalogVersions1795886000000 } from './1795886000000-CatalogVersions.js';
import { HealthCheckNote1795886500000 } from './1795886500000-HealthCheckNote.js';
import { ConnectionPlacement1795973000000 } from './1795973000000-ConnectionPlacement.js';

/** Applied in timestamp order. Generated with `npm run migration:generate`; never edit one that has landed. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Foundation1795260594055,
  ServersAndGroups1795261056798,
  Usage1795262252470,
  ServerReplicas1795263038232,
  GroupRevisions1795263128657,
  RoutingRules1795263632587,
  ServerHealth1795263664955,
  UsageBatches1795821534625,
  AuditorRole1795829811297,
  SignInSessions1795829973786,
  Alerts1795830344947,
  SignIn1795830400727,
  Teams1795830748774,
  AuditLog1795831170531,
  CallLog1795840000000,
  PasswordChangeRequired1795850000000,
  ToolPinning1795851695262,
  ToolNaming1795861000000,
  MarketplaceCatalog1795870000000,
  Credentials1795879000000,
  Backups1795880000000,
  EncryptionKeys1795881000000,
  ServerInstallations1795882000000,
  UpstreamOAuth1795883000000,
  ServerEndpoints1795884000000,
  CatalogVersions1795886000000,
  HealthCheckNote1795886500000,
  ConnectionPlacement1795973000000,
];
export { SEED_CATALOG, seedCatalog } from './1795870000000-MarketplaceCatalog.seed.js';
