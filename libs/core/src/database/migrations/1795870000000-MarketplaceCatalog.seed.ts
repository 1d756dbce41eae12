/**
 * The catalog the hub starts with: real public MCP servers. Every npm package and version was checked with
 * `npm view` when this migration was written (2026-11-28). Frozen with its migration: later catalog changes are
 * admins' edits or a new migration, never an edit here.
 */
interface SeedVariable {
  kind: 'ENV' | 'HEADER';
  name: string;
  description: string;
  required: boolean;
  secret: boolean;
  example: string | null;
}

export interface SeedEntry {
  name: string;
  title: string;
  description: string;
  version: string;
  transport: 'STDIO' | 'STREAMABLE_HTTP' | 'SSE';
  npmPackage: string | null;
  args: string[];
  url: string | null;
  variables: SeedVariable[];
  tags: string[];
  repositoryUrl: string;
  docsUrl: string | null;
}

const env = (name: string, description: string, o: { required?: boolean; secret?: boolean; example?: string } = {}): SeedVariable => ({
  kind: 'ENV',
  name,
  description,
  required: o.required ?? true,
  secret: o.secret ?? false,
  example: o.example ?? null,
});

const REFERENCE = 'https://github.com/modelcontextprotocol/servers';
const ARCHIVED = 'https://github.com/modelcontextprotocol/servers-archived';

const npm = (
  name: string,
  title: string,
  npmPackage: string,
  version: string,
  description: string,
  tags: string[],
  repositoryUrl: string,
  variables: SeedVariable[] = [],
  args: string[] = [],
): SeedEntry => ({ name, title, description, version, transport: 'STDIO', npmPackage, args, url: null, variables, tags, repositoryUrl, docsUrl: null });

export const SEED_CATALOG: SeedEntry[] = [
  npm('io.github.modelcontextprotocol/server-everything', 'Everything', '@modelcontextprotocol/server-everything', '2026.8.31',
    'Reference test server that exercises every MCP feature: tools, prompts, resources, sampling, logging and notifications.',
    ['reference', 'testing'], REFERENCE),
  npm('io.github.modelcontextprotocol/server-memory', 'Memory', '@modelcontextprotocol/server-memory', '2026.8.31',
    'Persistent memory as a local knowledge graph of entities, relations and observations.',
    ['reference', 'memory', 'knowledge-graph'], REFERENCE,
    [env('MEMORY_FILE_PATH', 'Where the knowledge graph is stored (JSON lines file)', { required: false, example: '/data/memory.jsonl' })]),
  npm('io.github.modelcontextprotocol/server-filesystem', 'Filesystem', '@modelcontextprotocol/server-filesystem', '2026.8.31',
    'Read, write, search and move files within allowed directories (given as arguments or by the client as roots).',
    ['reference', 'files'], REFERENCE),
  npm('io.github.modelcontextprotocol/server-sequential-thinking', 'Sequential Thinking', '@modelcontextprotocol/server-sequential-thinking', '2026.8.31',
    'Dynamic and reflective problem solving through a sequence of revisable thoughts.',
    ['reference', 'reasoning'], REFERENCE),
  {
    name: 'io.github.github/github-mcp-server',
    title: 'GitHub',
    description: "GitHub's official server: repositories, issues, pull requests, code search, Actions and security alerts, hosted by GitHub.",
    version: '1.0.0',
    transport: 'STREAMABLE_HTTP',
    npmPackage: null,
    args: [],
    url: 'https://api.githubcopilot.com/mcp/',
    variables: [{ kind: 'HEADER', name: 'Authorization', description: 'A GitHub personal access token, as Bearer <token>', required: true, secret: true, example: 'Bearer ghp_…' }],
    tags: ['git', 'github', 'code', 'issues'],
    repositoryUrl: 'https://github.com/github/github-mcp-server',
    docsUrl: 'https://docs.github.com/en/copilot/how-tos/provide-context/use-mcp/use-the-github-mcp-server',
  },
  npm('io.github.modelcontextprotocol/server-gitlab', 'GitLab', '@modelcontextprotocol/server-gitlab', '2025.4.25',
    'GitLab API: projects, files, issues and merge requests (archived reference server).',
    ['git', 'gitlab', 'code', 'issues'], ARCHIVED,
    [env('GITLAB_PERSONAL_ACCESS_TOKEN', 'A GitLab personal access token (api scope)', { secret: true, example: 'glpat-…' }),
     env('GITLAB_API_URL', 'The GitLab API of a self-managed instance', { required: false, example: 'https://gitlab.com/api/v4' })]),
  npm('io.github.modelcontextprotocol/server-slack', 'Slack', '@modelcontextprotocol/server-slack', '2025.4.25',
    'Read and post Slack messages, list channels, reply in threads and add reactions (archived reference server).',
    ['chat', 'slack'], ARCHIVED,
    [env('SLACK_BOT_TOKEN', 'A Slack bot token', { secret: true, example: 'xoxb-…' }),
     env('SLACK_TEAM_ID', 'The Slack workspace id', { example: 'T01234567' }),
     env('SLACK_CHANNEL_IDS', 'Comma-separated channels the server may use (default: all public ones)', { required: false, example: 'C01234567,C76543210' })]),
  npm('io.github.modelcontextprotocol/server-postgres', 'PostgreSQL', '@modelcontextprotocol/server-postgres', '0.6.2',
    'Read-only access to a PostgreSQL database: inspect schemas and run read-only SQL queries (archived reference server).',
    ['database', 'sql', 'postgres'], ARCHIVED,
    [env('POSTGRES_URL', 'The database URL, passed as the argument', { secret: true, example: 'postgresql://user:password@host:5432/db' })],
    ['${POSTGRES_URL}']),
  npm('io.github.modelcontextprotocol/server-redis', 'Redis', '@modelcontextprotocol/server-redis', '2025.4.25',
    'Get, set, list and delete Redis keys (archived reference server).',
    ['database', 'redis', 'cache'], ARCHIVED,
    [env('REDIS_URL', 'The Redis URL, passed as the argument', { secret: true, example: 'redis://localhost:6379' })],
    ['${REDIS_URL}']),
  npm('io.github.modelcontextprotocol/server-puppeteer', 'Puppeteer', '@modelcontextprotocol/server-puppeteer', '2025.5.12',
    'Browser automation with Puppeteer: navigate, screenshot, click, fill forms and run JavaScript (archived reference server).',
    ['browser', 'automation'], ARCHIVED),
  npm('com.microsoft/playwright-mcp', 'Playwright', '@playwright/mcp', '0.0.83',
    'Browser automation with Playwright through accessibility snapshots, without screenshots or vision models.',
    ['browser', 'automation', 'testing'], 'https://github.com/microsoft/playwright-mcp'),
  npm('io.github.brave/brave-search-mcp-server', 'Brave Search', '@brave/brave-search-mcp-server', '2.1.4',
    'Web, news, image, video and local search with the Brave Search API.',
    ['search', 'web'], 'https://github.com/brave/brave-search-mcp-server',
    [env('BRAVE_API_KEY', 'A Brave Search API key', { secret: true })]),
  npm('io.github.modelcontextprotocol/server-google-maps', 'Google Maps', '@modelcontextprotocol/server-google-maps', '0.6.2',
    'Geocoding, place search, directions, distances and elevation with the Google Maps API (archived reference server).',
    ['maps', 'location'], ARCHIVED,
    [env('GOOGLE_MAPS_API_KEY', 'A Google Maps Platform API key', { secret: true })]),
  npm('io.github.getsentry/sentry-mcp', 'Sentry', '@sentry/mcp-server', '0.39.0',
    'Sentry issues, errors, traces and releases: investigate and triage production problems.',
    ['monitoring', 'errors', 'observability'], 'https://github.com/getsentry/sentry-mcp',
    [env('SENTRY_ACCESS_TOKEN', 'A Sentry user auth token', { secret: true, example: 'sntryu_…' }),
     env('SENTRY_HOST', 'The host of a self-hosted Sentry', { required: false, example: 'sentry.example.com' })]),
  npm('io.github.makenotion/notion-mcp-server', 'Notion', '@notionhq/notion-mcp-server', '2.5.2',
    "Notion's official server: search, read and edit pages, databases and comments.",
    ['docs', 'notes', 'notion'], 'https://github.com/makenotion/notion-mcp-server',
    [env('NOTION_TOKEN', 'A Notion integration secret', { secret: true, example: 'ntn_…' })]),
  npm('io.github.upstash/context7', 'Context7', '@upstash/context7-mcp', '4.1.1',
    'Up-to-date, version-specific library documentation and code examples for prompts.',
    ['docs', 'code'], 'https://github.com/upstash/context7',
    [env('CONTEXT7_API_KEY', 'A Context7 API key for higher rate limits', { required: false, secret: true, example: 'ctx7sk-…' })]),
  npm('io.github.firecrawl/firecrawl-mcp-server', 'Firecrawl', 'firecrawl-mcp', '3.26.0',
    'Scrape, crawl, map and search the web into clean markdown with Firecrawl.',
    ['web', 'scraping', 'search'], 'https://github.com/firecrawl/firecrawl-mcp-server',
    [env('FIRECRAWL_API_KEY', 'A Firecrawl API key', { secret: true, example: 'fc-…' })]),
  npm('io.github.supabase-community/supabase-mcp', 'Supabase', '@supabase/mcp-server-supabase', '0.13.0',
    'Manage Supabase projects: tables, SQL queries, migrations, edge functions, logs and branches.',
    ['database', 'sql', 'postgres', 'cloud'], 'https://github.com/supabase-community/supabase-mcp',
    [env('SUPABASE_ACCESS_TOKEN', 'A Supabase personal access token', { secret: true, example: 'sbp_…' })]),
  npm('io.github.tavily-ai/tavily-mcp', 'Tavily', 'tavily-mcp', '0.2.22',
    'Real-time web search, extraction, crawling and mapping with the Tavily API.',
    ['search', 'web'], 'https://github.com/tavily-ai/tavily-mcp',
    [env('TAVILY_API_KEY', 'A Tavily API key', { secret: true, example: 'tvly-…' })]),
  npm('io.github.exa-labs/exa-mcp-server', 'Exa', 'exa-mcp-server', '3.4.1',
    'Web search, code search and company research with the Exa search API.',
    ['search', 'web', 'code'], 'https://github.com/exa-labs/exa-mcp-server',
    [env('EXA_API_KEY', 'An Exa API key', { secret: true })]),
  npm('com.stripe/mcp', 'Stripe', '@stripe/mcp', '0.3.3',
    'Stripe API: customers, products, prices, invoices, payment links, refunds and documentation search.',
    ['payments', 'finance'], 'https://github.com/stripe/agent-toolkit',
    [env('STRIPE_SECRET_KEY', 'A Stripe secret or restricted key', { secret: true, example: 'rk_test_…' })],
    ['--tools=all']),
  npm('io.github.flux159/mcp-server-kubernetes', 'Kubernetes', 'mcp-server-kubernetes', '4.1.7',
    'Manage Kubernetes clusters with kubectl: pods, deployments, services, logs and Helm charts.',
    ['kubernetes', 'devops', 'cloud'], 'https://github.com/Flux159/mcp-server-kubernetes',
    [env('KUBECONFIG', 'Path of the kubeconfig file (default ~/.kube/config)', { required: false, example: '/home/hub/.kube/config' })]),
  npm('com.heroku/mcp-server', 'Heroku', '@heroku/mcp-server', '1.2.8',
    'Manage Heroku apps, dynos, add-ons, pipelines and Postgres databases.',
    ['cloud', 'devops'], 'https://github.com/heroku/heroku-mcp-server',
    [env('HEROKU_API_KEY', 'A Heroku API key (heroku authorizations:create)', { secret: true })]),
  npm('io.github.browserbase/mcp-server-browserbase', 'Browserbase', '@browserbasehq/mcp-server-browserbase', '2.4.3',
    'Cloud browser automation with Browserbase and Stagehand: navigate, extract data and act on pages.',
    ['browser', 'automation', 'cloud'], 'https://github.com/browserbase/mcp-server-browserbase',
    [env('BROWSERBASE_API_KEY', 'A Browserbase API key', { secret: true, example: 'bb_live_…' }),
     env('BROWSERBASE_PROJECT_ID', 'The Browserbase project id')]),
  {
    name: 'com.cloudflare/docs',
    title: 'Cloudflare Docs',
    description: "Search Cloudflare's developer documentation, hosted by Cloudflare; no credentials needed.",
    version: '1.0.0',
    transport: 'SSE',
    npmPackage: null,
    args: [],
    url: 'https://docs.mcp.cloudflare.com/sse',
    variables: [],
    tags: ['docs', 'cloud'],
    repositoryUrl: 'https://github.com/cloudflare/mcp-server-cloudflare',
    docsUrl: 'https://developers.cloudflare.com/agents/model-context-protocol/mcp-servers-for-cloudflare/',
  },
];

/**
 * Inserts the seed entries whose names are not in the catalog yet: running it again changes nothing. (NOT EXISTS, not
 * ON CONFLICT: the catalog keeps several versions per name since CatalogVersions, so no constraint is on the name alone.)
 */
export async function seedCatalog(runner: { query(sql: string, parameters: unknown[]): Promise<unknown> }): Promise<void> {
  for (const e of SEED_CATALOG) {
    await runner.query(
      `INSERT INTO "catalog_entries" ("name", "title", "description", "publisher", "version", "transport", "npm_package", "args", "url", "variables", "tags", "repository_url", "docs_url")
       SELECT $1, $2, $3, $4, $5, $6::catalog_transport, $7, $8::jsonb, $9, $10::jsonb, $11::text[], $12, $13
        WHERE NOT EXISTS (SELECT 1 FROM "catalog_entries" WHERE "name" = $1)`,
      [e.name, e.title, e.description, e.name.split('/')[0], e.version, e.transport, e.npmPackage, JSON.stringify(e.args), e.url, JSON.stringify(e.variables), e.tags, e.repositoryUrl, e.docsUrl],
    );
  }
}
