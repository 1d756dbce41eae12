import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { databaseTargets } from '../support/database-targets.js';
import { GraphQLClient } from '../support/graphql-client.js';
import { createGroup, createKey, registerServer } from '../support/hub-fixtures.js';
import { startHub, type RunningHub } from '../support/hub-app.js';
import { shellArgv } from '../support/shell-argv.js';
import { everythingStdio } from '../support/upstreams.js';

/**
 * The real MCP clients that run on this machine, configured with the text of Group.clientConfigs taken unchanged
 * (only the key placeholder replaced by a real key): the Inspector CLI and mcp-remote as separate processes started
 * through `npx` exactly as the snippet says, and SDK 1.x clients with exactly the url and headers of the Cursor
 * and VS Code JSON. Claude Code cannot run here (no binary, it needs an account): its command is parsed by a shell.
 */

const run = promisify(execFile);
const ROOT = process.cwd();
/**
 * A registry nothing listens on, tried once: a snippet that made npx download anything fails at once instead of
 * passing (or hanging in npm's retries past the timeout, which kills only the shell).
 */
const NO_REGISTRY = { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0', npm_config_update_notifier: 'false' };

interface ClientConfig {
  client: string;
  language: string;
  text: string;
  keyPlaceholder: string | null;
}

const isNpmBin = (dir: string) => dir.endsWith(join('node_modules', '.bin'));

/**
 * The environment of a person's terminal: without what npm adds when it runs this suite (npm_config_* settings a
 * nested npx would obey, node_modules/.bin on PATH, where the project's node22 package links `node`).
 */
function terminalEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  return { ...env, PATH: (process.env.PATH ?? '').split(delimiter).filter((d) => d && !isNpmBin(d)).join(delimiter), ...NO_REGISTRY };
}

/** The first `node` on a person's PATH. */
function systemNode(): string {
  for (const dir of terminalEnv().PATH!.split(delimiter)) {
    try {
      accessSync(join(dir, 'node'), constants.X_OK);
      return join(dir, 'node');
    } catch {
      // not in this directory
    }
  }
  throw new Error('no node on PATH');
}

/** Processes whose command line holds `text` (the API key must never be one of them). */
function processesShowing(text: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        return cmdline.includes(text) ? [`${pid}: ${cmdline}`] : [];
      } catch {
        return []; // exited while we looked
      }
    });
}

async function sdkClient(url: string, headers: Record<string, string>, name: string): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** tools/list then tools/call of the echo tool (whatever the group's naming calls it), through any client. */
async function listAndEcho(client: Client, message: string): Promise<{ tools: string[]; echoed: string }> {
  const tools = (await client.listTools()).tools.map((t) => t.name);
  const echo = tools.find((t) => t.endsWith('echo'))!;
  const result = await client.callTool({ name: echo, arguments: { message } });
  return { tools, echoed: JSON.stringify(result.content) };
}

describe('client configurations, run by the real clients', () => {
  let hub: RunningHub;
  let secret: string;
  let endpoint: string;
  let configs: Map<string, ClientConfig>;
  let echoTool: string;
  let configDir: string;
  const withKey = (client: string) => {
    const c = configs.get(client)!;
    return c.keyPlaceholder ? c.text.replaceAll(c.keyPlaceholder, secret) : c.text;
  };

  beforeAll(async () => {
    hub = await startHub(databaseTargets[0]);
    const admin = new GraphQLClient(hub.url);
    await admin.login('admin@example.com', 'admin-password-123');
    const server = await registerServer(admin, { name: 'Everything', slug: 'everything', transport: 'STDIO', ...everythingStdio() });
    const group = await createGroup(admin, 'tools', [server.id]);
    secret = (await createKey(admin, { groupIds: [group.id] })).secret;
    const { group: api } = await admin.data<{ group: { endpoints: { streamableHttp: string }; clientConfigs: ClientConfig[] } }>(
      'query{ group(slug: "tools"){ endpoints { streamableHttp } clientConfigs { client language text keyPlaceholder } } }',
    );
    endpoint = api.endpoints.streamableHttp;
    expect(new URL(endpoint).hostname).toBe('127.0.0.1');
    configs = new Map(api.clientConfigs.map((c) => [c.client, c]));
    const probe = await sdkClient(endpoint, { Authorization: `Bearer ${secret}` }, 'probe');
    echoTool = (await probe.listTools()).tools.map((t) => t.name).find((t) => t.endsWith('echo'))!;
    await probe.close();
    configDir = mkdtempSync(join(tmpdir(), 'mcp-remote-'));
  }, 120_000);

  afterAll(async () => {
    rmSync(configDir, { recursive: true, force: true });
    await hub?.close();
  });

  describe('MCP Inspector CLI', () => {
    /** The snippet as a person pastes it into a shell, from the project directory, with the registry unreachable. */
    const inspector = async (extra = '') => {
      const { stdout } = await run('sh', ['-c', `${withKey('MCP_INSPECTOR')}${extra}`], { cwd: ROOT, env: terminalEnv(), timeout: 60_000 });
      return JSON.parse(stdout) as { tools?: { name: string }[]; content?: unknown[]; isError?: boolean };
    };

    it('should list the tools with the snippet run unchanged (npx resolves the pinned devDependency, no network)', async () => {
      const listed = await inspector();
      expect(listed.tools!.map((t) => t.name)).toContain(echoTool);
    });

    it('should call a tool with the snippet plus the call arguments appended', async () => {
      const called = await inspector(` --method tools/call --tool-name ${echoTool} --tool-arg message=inspector-was-here`);
      expect(called.isError).toBeFalsy();
      expect(JSON.stringify(called.content)).toContain('inspector-was-here');
    });

    it('should run on the system Node too (0.21.1 declares Node >= 22; it runs on 20 with a warning only)', async () => {
      // npx puts node_modules/.bin first on PATH, where the project's node22 package links `node`: inside this
      // project the snippet runs on Node 22. A person without that package runs it on their own Node.
      const node = systemNode();
      const [, ...args] = await shellArgv(withKey('MCP_INSPECTOR'), 'npx');
      const { stdout: version } = await run(node, ['--version']);
      const { stdout } = await run(node, [join(ROOT, 'node_modules/@modelcontextprotocol/inspector/cli/build/cli.js'), ...args], {
        env: terminalEnv(),
        timeout: 60_000,
      });
      expect({ version: version.trim(), tools: (JSON.parse(stdout) as { tools: { name: string }[] }).tools.map((t) => t.name) }).toEqual({
        version: expect.stringMatching(/^v\d+\./),
        tools: expect.arrayContaining([echoTool]),
      });
    });
  });

  describe('Claude Desktop through mcp-remote', () => {
    it('should initialize, list and call a tool over stdio, with the key kept out of every process command line', async () => {
      const desktop = JSON.parse(withKey('CLAUDE_DESKTOP')) as { mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }> };
      const [entry] = Object.values(desktop.mcpServers);
      expect(JSON.stringify(entry.args)).not.toContain(secret);
      const transport = new StdioClientTransport({
        command: entry.command,
        args: entry.args,
        // What Claude Desktop does: its own (minimal) environment plus the entry's env. mcp-remote keeps its OAuth state in a
        // throw-away directory instead of ~/.mcp-auth.
        env: { ...getDefaultEnvironment(), PATH: terminalEnv().PATH!, ...entry.env, ...NO_REGISTRY, MCP_REMOTE_CONFIG_DIR: configDir },
        cwd: ROOT,
        stderr: 'pipe',
      });
      let log = '';
      transport.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
      const client = new Client({ name: 'claude-desktop-like', version: '1.0.0' });
      try {
        await client.connect(transport);
        expect(client.getServerVersion()).toBeDefined();
        const { tools, echoed } = await listAndEcho(client, 'through mcp-remote');
        expect(tools).toContain(echoTool);
        expect(echoed).toContain('through mcp-remote');
        expect(processesShowing(secret)).toEqual([]);
        expect(log).not.toContain(secret);
      } catch (error) {
        throw new Error(`${(error as Error).message}\nmcp-remote said:\n${log}`);
      } finally {
        await client.close();
      }
    });
  });

  describe('Cursor and VS Code JSON', () => {
    it("should connect with exactly the Cursor entry's url and headers", async () => {
      const cursor = JSON.parse(withKey('CURSOR')) as { mcpServers: Record<string, { url: string; headers: Record<string, string> }> };
      const [entry] = Object.values(cursor.mcpServers);
      expect(entry.url).toBe(endpoint);
      const client = await sdkClient(entry.url, entry.headers, 'cursor-like');
      const { tools, echoed } = await listAndEcho(client, 'as cursor');
      await client.close();
      expect(tools).toContain(echoTool);
      expect(echoed).toContain('as cursor');
    });

    it('should connect with the VS Code entry once its password input is answered with the key', async () => {
      const vscode = JSON.parse(withKey('VSCODE')) as {
        inputs: { type: string; id: string; password: boolean }[];
        servers: Record<string, { type: string; url: string; headers: Record<string, string> }>;
      };
      expect(withKey('VSCODE')).not.toContain(secret);
      const [entry] = Object.values(vscode.servers);
      expect(entry.type).toBe('http');
      // What VS Code does with ${input:<id>}: prompt (masked, as password: true asks) and substitute the answer.
      const answers = new Map(vscode.inputs.filter((i) => i.type === 'promptString' && i.password).map((i) => [i.id, secret]));
      const headers = Object.fromEntries(
        Object.entries(entry.headers).map(([name, value]) => [name, value.replace(/\$\{input:([^}]+)\}/g, (_m, id: string) => answers.get(id)!)]),
      );
      expect(headers.Authorization).toBe(`Bearer ${secret}`);
      const client = await sdkClient(entry.url, headers, 'vscode-like');
      const { tools, echoed } = await listAndEcho(client, 'as vscode');
      await client.close();
      expect(tools).toContain(echoTool);
      expect(echoed).toContain('as vscode');
    });
  });

  describe('Claude Code command', () => {
    it('should parse, in a POSIX shell, into the documented `claude mcp add --transport http <name> <url> --header` form', async () => {
      // Claude Code is not installed here (and needs an account): only the command line is checked.
      expect(await shellArgv(withKey('CLAUDE_CODE'), 'claude')).toEqual(['mcp', 'add', '--transport', 'http', 'tools', endpoint, '--header', `Authorization: Bearer ${secret}`]);
    });
  });
});
