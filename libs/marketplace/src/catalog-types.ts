/** How the hub reaches a catalog server: a local process started with `npx`, or a remote URL. */
export enum CatalogTransport {
  STDIO = 'STDIO',
  STREAMABLE_HTTP = 'STREAMABLE_HTTP',
  SSE = 'SSE',
}

/** Where a variable goes: the process environment (STDIO) or an HTTP header (remote). */
export enum CatalogVariableKind {
  ENV = 'ENV',
  HEADER = 'HEADER',
}

export interface CatalogVariable {
  kind: CatalogVariableKind;
  name: string;
  description: string;
  required: boolean;
  secret: boolean;
  /** Shows the shape of a value (never a real secret). */
  example: string | null;
}

/** What an entry holds, without the row's bookkeeping: what the seed, the import and the Registry API exchange. */
export interface CatalogEntryData {
  name: string;
  title: string;
  description: string;
  publisher: string;
  version: string;
  transport: CatalogTransport;
  /** STDIO: the npm package, run as `npx -y <npmPackage>@<version> <args…>`. */
  npmPackage: string | null;
  args: string[];
  /** Remote transports: the URL, `${NAME}` placeholders allowed. */
  url: string | null;
  variables: CatalogVariable[];
  tags: string[];
  repositoryUrl: string | null;
  docsUrl: string | null;
}

/** The reverse-DNS namespace of a name, the publisher: `io.github.acme/weather` → `io.github.acme`. */
export const publisherOf = (name: string): string => name.split('/')[0];

/** The command line an STDIO entry runs. */
export function npxCommand(entry: Pick<CatalogEntryData, 'npmPackage' | 'version' | 'args'>): string[] {
  return entry.npmPackage ? ['npx', '-y', `${entry.npmPackage}@${entry.version}`, ...entry.args] : [];
}
