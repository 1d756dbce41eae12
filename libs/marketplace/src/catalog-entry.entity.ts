import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { CatalogTransport, type CatalogVariable } from './catalog-types.js';

/**
 * One version of a server of the marketplace catalog: a row per (name, version), exactly one of a name's rows the
 * latest (what searches show and installs default to). The table also has `search_document`, the tsvector searches
 * match, kept by a trigger (see the MarketplaceCatalog migration).
 */
@Entity('catalog_entries')
@Unique('UQ_catalog_entries_name_version', ['name', 'version'])
@Index('UQ_catalog_entries_latest', ['name'], { unique: true, where: '"is_latest"' })
@Index('IDX_catalog_entries_tags', { synchronize: false })
export class CatalogEntry {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_catalog_entries' })
  id!: string;

  /** Reverse-DNS, as in the MCP Registry: `io.github.modelcontextprotocol/server-everything`. One row per version. */
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  publisher!: string;

  @Column({ type: 'text' })
  version!: string;

  /** The version searches show and installs default to: the registry's `isLatest`, else the highest (version-order.ts). */
  @Column({ name: 'is_latest', type: 'boolean', default: true })
  isLatest!: boolean;

  @Column({ type: 'enum', enum: CatalogTransport, enumName: 'catalog_transport' })
  transport!: CatalogTransport;

  @Column({ name: 'npm_package', type: 'text', nullable: true })
  npmPackage!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  args!: string[];

  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  variables!: CatalogVariable[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ name: 'repository_url', type: 'text', nullable: true })
  repositoryUrl!: string | null;

  @Column({ name: 'docs_url', type: 'text', nullable: true })
  docsUrl!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
