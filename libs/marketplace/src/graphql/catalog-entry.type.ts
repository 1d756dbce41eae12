import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CatalogTransport, CatalogVariableKind } from '../catalog-types.js';

registerEnumType(CatalogTransport, { name: 'CatalogTransport' });
registerEnumType(CatalogVariableKind, { name: 'CatalogVariableKind' });

@ObjectType('CatalogVariable')
export class CatalogVariableType {
  @Field(() => CatalogVariableKind) kind!: CatalogVariableKind;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => Boolean) required!: boolean;
  @Field(() => Boolean, { description: 'A credential: stored sealed, never shown back' }) secret!: boolean;
  @Field(() => String, { nullable: true, description: 'The shape of a value, never a real one' }) example!: string | null;
}

@ObjectType('CatalogEntry')
export class CatalogEntryType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Reverse-DNS, as in the MCP Registry (io.github.acme/weather)' }) name!: string;
  @Field(() => String) title!: string;
  @Field(() => String) description!: string;
  @Field(() => String, { description: "The name's namespace" }) publisher!: string;
  @Field(() => String) version!: string;
  @Field(() => Boolean, { description: 'The version searches show and installs default to' }) isLatest!: boolean;
  @Field(() => CatalogTransport) transport!: CatalogTransport;
  @Field(() => String, { nullable: true, description: 'STDIO: the npm package' }) npmPackage!: string | null;
  @Field(() => [String], { description: 'STDIO: arguments after the package' }) args!: string[];
  @Field(() => String, { nullable: true, description: 'Remote transports: the URL' }) url!: string | null;
  @Field(() => [CatalogVariableType]) variables!: CatalogVariableType[];
  @Field(() => [String]) tags!: string[];
  @Field(() => String, { nullable: true }) repositoryUrl!: string | null;
  @Field(() => String, { nullable: true }) docsUrl!: string | null;
  @Field(() => Date, { description: 'When this version was added to the catalog' }) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType('CatalogEntryPage')
export class CatalogEntryPageType {
  @Field(() => [CatalogEntryType], { description: "One per name, its latest version: best match first when searching, else by name" }) nodes!: CatalogEntryType[];
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}
