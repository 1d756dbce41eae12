import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ServerCredentialScope, ServerType } from '#servers';
import { GroupType } from '#groups';
import { CatalogVariableKind } from '../catalog-types.js';
import { InstallationState } from '../install/server-installation.entity.js';
import { RegistryImportOutcome } from '../registry-import/import-from-registry.js';

registerEnumType(InstallationState, { name: 'InstallationState', description: "Where the pre-fetch of an installed stdio server's npm package stands" });
registerEnumType(RegistryImportOutcome, { name: 'RegistryImportOutcome' });

@InputType()
export class InstallValueInput {
  @Field(() => String, { description: "The catalog variable's name (e.g. BRAVE_API_KEY, Authorization)" }) name!: string;
  @Field(() => String, { description: 'Stored sealed as your own credential; never returned. Blank = not given' }) value!: string;
}

@InputType()
export class InstallCatalogEntryInput {
  @Field(() => ID, { description: 'Any version of the entry' }) entryId!: string;
  @Field(() => String, { nullable: true, description: 'One of the entry\'s versions (CatalogEntry.versions); the latest when absent' }) version?: string | null;
  @Field(() => ServerCredentialScope, {
    nullable: true,
    description: "SHARED (default): one connection for everybody, filled from the installer's credentials. PER_USER: each caller's own credentials",
  })
  credentialScope?: ServerCredentialScope | null;
  @Field(() => ID, { nullable: true, description: 'A group to add the server to (needs the right to change it)' }) groupId?: string | null;
  @Field(() => String, { nullable: true, description: "Derived from the entry's title when absent" }) slug?: string | null;
  @Field(() => [InstallValueInput], { nullable: true }) values?: InstallValueInput[] | null;
}

@ObjectType('ServerInstallation')
export class ServerInstallationType {
  @Field(() => String, { description: 'The npm package and version pre-fetched (what npx runs)' }) packageSpec!: string;
  @Field(() => InstallationState) state!: InstallationState;
  @Field(() => Int, { description: 'Percent by phase: 0 queued, 25 resolving, 50 downloading, 100 ready' }) progress!: number;
  @Field(() => Int, { description: 'Registry requests answered so far' }) fetched!: number;
  @Field(() => String, { nullable: true, description: 'Why it failed: package not found, registry unreachable…' }) error!: string | null;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType('InstalledVariable')
export class InstalledVariableType {
  @Field(() => CatalogVariableKind) kind!: CatalogVariableKind;
  @Field(() => String, { description: "The catalog variable's name" }) name!: string;
  @Field(() => String, { description: 'The credential the server refers to it by (${NAME}); set it in Settings → Credentials' }) credentialName!: string;
  @Field(() => Boolean, { description: 'Your value was stored as your own credential' }) stored!: boolean;
  @Field(() => Boolean, { description: 'The server refers to it (optional ones without a value are left out)' }) used!: boolean;
}

@ObjectType('InstallCatalogEntryResult')
export class InstallCatalogEntryResultType {
  @Field(() => ServerType) server!: unknown;
  @Field(() => GroupType, { nullable: true }) group!: unknown;
  @Field(() => ServerInstallationType, { nullable: true, description: 'STDIO entries: the npm pre-fetch, started' }) installation!: ServerInstallationType | null;
  @Field(() => [InstalledVariableType]) variables!: InstalledVariableType[];
}

@ObjectType('RegistryImportItem')
export class RegistryImportItemType {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) version!: string | null;
  @Field(() => RegistryImportOutcome) outcome!: RegistryImportOutcome;
  @Field(() => String, { nullable: true, description: 'Why it was skipped' }) reason!: string | null;
}

@ObjectType('RegistryImportResult')
export class RegistryImportResultType {
  @Field(() => Int) pages!: number;
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => [RegistryImportItemType]) items!: RegistryImportItemType[];
}
