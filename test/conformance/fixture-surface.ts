import {
  CLIENT_CAPABILITIES_META_KEY,
  McpServer,
  ResourceTemplate,
  acceptedContent,
  fromJsonSchema,
  inputRequired,
  inputResponse,
  type CallToolResult,
  type ClientCapabilities,
  type GetPromptResult,
  type RequestStateCodec,
  type ServerContext,
  type ServerNotifier,
} from '@modelcontextprotocol/server';
import { z } from 'zod';

/**
 * Everything the conformance suite's server scenarios call, for both eras, defined once (names, texts and
 * behaviours come from the scenario descriptions in @modelcontextprotocol/conformance). One McpServer per 2025
 * session and one per 2026-07-28 request, built by `buildFixtureServer`.
 */

// A 1x1 red PNG and a minimal WAV.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';

export interface FixtureDeps {
  era: 'legacy' | 'modern';
  /** Publishes list changes to open `subscriptions/listen` streams (2026-07-28). */
  notifier?: ServerNotifier;
  /** HMAC codec for `requestState`, shared by every per-request instance. */
  stateCodec: RequestStateCodec<{ round: number }>;
}

const JSON_SCHEMA_2020_12 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object' as const,
  $defs: { address: { $anchor: 'addressDef', type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
  properties: {
    name: { type: 'string' },
    address: { $ref: '#/$defs/address' },
    contactMethod: { type: 'string', enum: ['phone', 'email'] },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
  then: { required: ['phone'] },
  else: { required: ['email'] },
  additionalProperties: false,
};

// `x-mcp-header` is an extension keyword the JSON Schema type does not know: a variable skips the literal check.
const REGION_SCHEMA = { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } }, required: ['region'] } as const;

const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nameSchema = { type: 'object' as const, properties: { name: { type: 'string' as const } }, required: ['name'] };

/** The capabilities the 2026-07-28 client declared on this request (2025 sessions: at initialize). */
function clientCapabilities(server: McpServer, ctx: ServerContext): ClientCapabilities {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  return (envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined) ?? server.server.getClientCapabilities() ?? {};
}

export function buildFixtureServer(deps: FixtureDeps): McpServer {
  const server = new McpServer(
    { name: 'mcp-hub-conformance-fixture', version: '1.0.0' },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        logging: {},
        completions: {},
      },
      requestState: { verify: (state, ctx) => deps.stateCodec.verify(state, ctx) },
    },
  );
  registerContentTools(server);
  registerNotifyingTools(server);
  registerLegacyRequestTools(server);
  registerInputRequiredTools(server, deps);
  registerDiagnosticTools(server, deps);
  registerResources(server);
  registerPrompts(server);
  return server;
}

function registerContentTools(server: McpServer): void {
  server.registerTool('test_simple_text', { description: 'Returns simple text content' }, async () =>
    text('This is a simple text response for testing.'),
  );
  server.registerTool('test_image_content', { description: 'Returns image content' }, async () => ({
    content: [{ type: 'image', data: PNG, mimeType: 'image/png' }],
  }));
  server.registerTool('test_audio_content', { description: 'Returns audio content' }, async () => ({
    content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }],
  }));
  server.registerTool('test_embedded_resource', { description: 'Returns an embedded resource' }, async () => ({
    content: [{ type: 'resource', resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } }],
  }));
  server.registerTool('test_multiple_content_types', { description: 'Returns text, image and resource content' }, async () => ({
    content: [
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: PNG, mimeType: 'image/png' },
      { type: 'resource', resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) } },
    ],
  }));
  server.registerTool('test_error_handling', { description: 'Always fails (a tool error, not a protocol error)' }, async () => {
    throw new Error('This tool intentionally returns an error for testing');
  });
  // Listed with its raw JSON Schema 2020-12 keywords ($defs/$anchor, allOf/anyOf, if/then/else): a gateway must keep them.
  server.registerTool(
    'json_schema_2020_12_tool',
    { description: 'Tool with JSON Schema 2020-12 features', inputSchema: fromJsonSchema<Record<string, unknown>>(JSON_SCHEMA_2020_12) },
    async (args) => text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`),
  );
  // SEP-2243: a parameter mirrored into an `Mcp-Param-Region` header, which must match the body.
  server.registerTool(
    'test_custom_headers',
    {
      description: 'Takes a region that clients also send as the Mcp-Param-Region header',
      inputSchema: fromJsonSchema<{ region: string }>(REGION_SCHEMA),
    },
    async ({ region }) => text(`region=${region}`),
  );
}

function registerNotifyingTools(server: McpServer): void {
  server.registerTool('test_tool_with_logging', { description: 'Logs three messages while it runs', inputSchema: z.object({}) }, async (_args, ctx) => {
    for (const [i, message] of ['Tool execution started', 'Tool processing data', 'Tool execution completed'].entries()) {
      if (i > 0) await pause(50);
      await ctx.mcpReq.log('info', message);
    }
    return text('Tool with logging executed successfully');
  });
  server.registerTool('test_tool_with_progress', { description: 'Reports progress 0, 50, 100 of 100', inputSchema: z.object({}) }, async (_args, ctx) => {
    const progressToken = ctx.mcpReq._meta?.progressToken;
    for (const progress of [0, 50, 100]) {
      if (progress > 0) await pause(50);
      if (progressToken !== undefined) {
        await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress, total: 100, message: `Completed step ${progress} of 100` } });
      }
    }
    return text(String(progressToken ?? 'no progress token'));
  });
}

/** 2025-era tools that ask the client in the middle of a call (sampling, elicitation). */
function registerLegacyRequestTools(server: McpServer): void {
  const elicitTool = (name: string, description: string, message: (args: Record<string, unknown>) => string, requestedSchema: Record<string, unknown>, label: string) =>
    server.registerTool(name, { description, inputSchema: name === 'test_elicitation' ? z.object({ message: z.string() }) : z.object({}) }, async (args, ctx) => {
      try {
        const result = await ctx.mcpReq.send({ method: 'elicitation/create', params: { mode: 'form', message: message(args), requestedSchema } });
        return text(`${label}: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
      } catch (error) {
        return { isError: true, content: [{ type: 'text', text: `Elicitation failed: ${(error as Error).message}` }] };
      }
    });

  server.registerTool('test_sampling', { description: 'Asks the client for an LLM completion', inputSchema: z.object({ prompt: z.string() }) }, async ({ prompt }, ctx) => {
    try {
      const result = await ctx.mcpReq.send({ method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 } });
      const content = Array.isArray(result.content) ? result.content[0] : result.content;
      return text(`LLM response: ${content?.type === 'text' ? content.text : 'No response'}`);
    } catch (error) {
      return { isError: true, content: [{ type: 'text', text: `Sampling failed: ${(error as Error).message}` }] };
    }
  });
  elicitTool(
    'test_elicitation',
    'Asks the user for input',
    (args) => String(args.message),
    { type: 'object', properties: { response: { type: 'string', description: "User's response" } }, required: ['response'] },
    'User response',
  );
  elicitTool(
    'test_elicitation_sep1034_defaults',
    'Elicitation with defaults for every primitive type (SEP-1034)',
    () => 'Please review and update the form fields with defaults',
    {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'User name', default: 'John Doe' },
        age: { type: 'integer', description: 'User age', default: 30 },
        score: { type: 'number', description: 'User score', default: 95.5 },
        status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
        verified: { type: 'boolean', description: 'Verification status', default: true },
      },
      required: [],
    },
    'Elicitation completed',
  );
  elicitTool(
    'test_elicitation_sep1330_enums',
    'Elicitation with the five enum shapes (SEP-1330)',
    () => 'Please select options from the enum fields',
    {
      type: 'object',
      properties: {
        untitledSingle: { type: 'string', description: 'Pick one', enum: ['option1', 'option2', 'option3'] },
        titledSingle: {
          type: 'string',
          description: 'Pick one (titled)',
          oneOf: [
            { const: 'value1', title: 'First Option' },
            { const: 'value2', title: 'Second Option' },
            { const: 'value3', title: 'Third Option' },
          ],
        },
        legacyEnum: { type: 'string', description: 'Pick one (legacy titles)', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
        untitledMulti: { type: 'array', description: 'Pick several', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
        titledMulti: {
          type: 'array',
          description: 'Pick several (titled)',
          items: {
            anyOf: [
              { const: 'value1', title: 'First Choice' },
              { const: 'value2', title: 'Second Choice' },
              { const: 'value3', title: 'Third Choice' },
            ],
          },
        },
      },
      required: [],
    },
    'Elicitation completed',
  );
}

/** 2026-07-28 multi-round-trip tools: InputRequiredResult instead of server→client requests. */
function registerInputRequiredTools(server: McpServer, deps: FixtureDeps): void {
  const elicitName = inputRequired.elicit({ message: 'What is your name?', requestedSchema: nameSchema });
  const noArgs = { inputSchema: z.object({}) };

  server.registerTool('test_input_required_result_elicitation', { description: 'Asks for a name, then greets', ...noArgs }, async (_args, ctx) => {
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_name');
    if (typeof answer?.name !== 'string') return inputRequired({ inputRequests: { user_name: elicitName } });
    return text(`Hello, ${answer.name}!`);
  });

  server.registerTool('test_input_required_result_sampling', { description: 'Asks the client for a completion', ...noArgs }, async (_args, ctx) => {
    const view = inputResponse(ctx.mcpReq.inputResponses, 'capital_question');
    if (view.kind !== 'sampling') {
      return inputRequired({
        inputRequests: {
          capital_question: inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }], maxTokens: 100 }),
        },
      });
    }
    const content = Array.isArray(view.result.content) ? view.result.content[0] : view.result.content;
    return text(`Sampling response: ${content?.type === 'text' ? content.text : ''}`);
  });

  server.registerTool('test_input_required_result_list_roots', { description: 'Asks the client for its roots', ...noArgs }, async (_args, ctx) => {
    const view = inputResponse(ctx.mcpReq.inputResponses, 'client_roots');
    if (view.kind !== 'roots') return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
    return text(`Roots: ${view.roots.map((r) => r.uri).join(', ')}`);
  });

  server.registerTool('test_input_required_result_request_state', { description: 'Round-trips an integrity-protected requestState', ...noArgs }, async (_args, ctx) => {
    const state = ctx.mcpReq.requestState<{ round: number }>();
    const confirm = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
    if (state?.round === 1 && confirm.kind === 'elicit') return text(`state-ok: confirmed with action=${confirm.action}`);
    return inputRequired({
      inputRequests: {
        confirm: inputRequired.elicit({ message: 'Please confirm', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } }),
      },
      requestState: await deps.stateCodec.mint({ round: 1 }),
    });
  });

  server.registerTool('test_input_required_result_tampered_state', { description: 'Rejects a tampered requestState', ...noArgs }, async (_args, ctx) => {
    // A tampered state never reaches here: the requestState.verify hook answers -32602 first.
    if (ctx.mcpReq.requestState<{ round: number }>()?.round === 1) return text('state-ok');
    return inputRequired({ inputRequests: { user_name: elicitName }, requestState: await deps.stateCodec.mint({ round: 1 }) });
  });

  server.registerTool('test_input_required_result_multiple_inputs', { description: 'Asks for elicitation, sampling and roots at once', ...noArgs }, async (_args, ctx) => {
    const responses = ctx.mcpReq.inputResponses;
    const complete =
      ctx.mcpReq.requestState<{ round: number }>()?.round === 1 &&
      inputResponse(responses, 'user_name').kind === 'elicit' &&
      inputResponse(responses, 'greeting').kind === 'sampling' &&
      inputResponse(responses, 'client_roots').kind === 'roots';
    if (complete) return text(`All inputs received for ${acceptedContent(responses, 'user_name')?.name ?? 'someone'}`);
    return inputRequired({
      inputRequests: {
        user_name: elicitName,
        greeting: inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }], maxTokens: 50 }),
        client_roots: inputRequired.listRoots(),
      },
      requestState: await deps.stateCodec.mint({ round: 1 }),
    });
  });

  server.registerTool('test_input_required_result_multi_round', { description: 'Two rounds of elicitation with evolving state', ...noArgs }, async (_args, ctx) => {
    const round = ctx.mcpReq.requestState<{ round: number }>()?.round ?? 0;
    const responses = ctx.mcpReq.inputResponses;
    if (round === 2 && acceptedContent(responses, 'step2')) return text(`Multi-round complete: color=${String(acceptedContent(responses, 'step2')?.color)}`);
    if (round >= 1 && acceptedContent(responses, 'step1')) {
      return inputRequired({
        inputRequests: {
          step2: inputRequired.elicit({
            message: 'Step 2: What is your favorite color?',
            requestedSchema: { type: 'object', properties: { color: { type: 'string' } }, required: ['color'] },
          }),
        },
        requestState: await deps.stateCodec.mint({ round: 2 }),
      });
    }
    return inputRequired({
      inputRequests: { step1: inputRequired.elicit({ message: 'Step 1: What is your name?', requestedSchema: nameSchema }) },
      requestState: await deps.stateCodec.mint({ round: 1 }),
    });
  });

  server.registerTool('test_input_required_result_capabilities', { description: 'Asks only for what the client declared', ...noArgs }, async (_args, ctx) => {
    if (ctx.mcpReq.inputResponses && Object.keys(ctx.mcpReq.inputResponses).length > 0) return text('Inputs received');
    const declared = clientCapabilities(server, ctx);
    const requests: Record<string, ReturnType<typeof inputRequired.listRoots>> = {};
    if (declared.elicitation) requests.user_name = elicitName;
    if (declared.sampling) requests.greeting = inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }], maxTokens: 50 });
    if (declared.roots) requests.client_roots = inputRequired.listRoots();
    if (Object.keys(requests).length === 0) return text('The client declared no capability to ask with');
    return inputRequired({ inputRequests: requests });
  });
}

/** Hooks the stateless scenario probes: capability checks, logging without a level, list changes. */
function registerDiagnosticTools(server: McpServer, deps: FixtureDeps): void {
  // Asks for a completion: the SDK answers -32021 (HTTP 400) itself when the request did not declare sampling.
  // (A tool that threw would become an isError result.)
  server.registerTool('test_missing_capability', { description: 'Needs the sampling capability', inputSchema: z.object({}) }, async (_args, ctx) => {
    if (inputResponse(ctx.mcpReq.inputResponses, 'completion').kind === 'sampling') return text('The client answered the sampling request');
    return inputRequired({
      inputRequests: { completion: inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 10 }) },
    });
  });
  server.registerTool('test_streaming_elicitation', { description: 'Asks for input on the response stream', inputSchema: z.object({}) }, async (_args, ctx) => {
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_name');
    if (typeof answer?.name !== 'string') return inputRequired({ inputRequests: { user_name: inputRequired.elicit({ message: 'What is your name?', requestedSchema: nameSchema }) } });
    return text(`Hello, ${answer.name}!`);
  });
  server.registerTool('test_logging_tool', { description: 'Logs at info level', inputSchema: z.object({}) }, async (_args, ctx) => {
    await ctx.mcpReq.log('info', 'test_logging_tool ran');
    return text('logged');
  });
  server.registerTool('test_trigger_tool_change', { description: 'Announces a tool list change', inputSchema: z.object({}) }, async () => {
    if (deps.notifier) deps.notifier.toolsChanged();
    else server.sendToolListChanged();
    return text('tools list changed');
  });
  server.registerTool('test_trigger_prompt_change', { description: 'Announces a prompt list change', inputSchema: z.object({}) }, async () => {
    if (deps.notifier) deps.notifier.promptsChanged();
    else server.sendPromptListChanged();
    return text('prompts list changed');
  });
}

function registerResources(server: McpServer): void {
  server.registerResource(
    'static-text',
    'test://static-text',
    { description: 'A static text resource', mimeType: 'text/plain' },
    async () => ({ contents: [{ uri: 'test://static-text', mimeType: 'text/plain', text: 'This is the content of the static text resource.' }] }),
  );
  server.registerResource(
    'static-binary',
    'test://static-binary',
    { description: 'A static binary resource (PNG)', mimeType: 'image/png' },
    async () => ({ contents: [{ uri: 'test://static-binary', mimeType: 'image/png', blob: PNG }] }),
  );
  server.registerResource(
    'watched-resource',
    'test://watched-resource',
    { description: 'A resource clients subscribe to', mimeType: 'text/plain' },
    async () => ({ contents: [{ uri: 'test://watched-resource', mimeType: 'text/plain', text: 'Watched resource content' }] }),
  );
  server.registerResource(
    'template',
    new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    { description: 'A template with one parameter', mimeType: 'application/json' },
    async (uri, { id }) => ({
      contents: [{ uri: uri.toString(), mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${String(id)}` }) }],
    }),
  );
  // 2025 sessions subscribe; nothing changes, so nothing is ever sent.
  server.server.setRequestHandler('resources/subscribe', async () => ({}));
  server.server.setRequestHandler('resources/unsubscribe', async () => ({}));
}

function registerPrompts(server: McpServer): void {
  server.registerPrompt('test_simple_prompt', { description: 'A prompt without arguments' }, async (): Promise<GetPromptResult> => ({
    messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }],
  }));
  server.registerPrompt(
    'test_prompt_with_arguments',
    { description: 'A prompt with two required arguments', argsSchema: z.object({ arg1: z.string().describe('First test argument'), arg2: z.string().describe('Second test argument') }) },
    async ({ arg1, arg2 }): Promise<GetPromptResult> => ({ messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }] }),
  );
  server.registerPrompt(
    'test_prompt_with_embedded_resource',
    { description: 'A prompt embedding a resource', argsSchema: z.object({ resourceUri: z.string().describe('URI of the resource to embed') }) },
    async ({ resourceUri }): Promise<GetPromptResult> => ({
      messages: [
        { role: 'user', content: { type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
        { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
      ],
    }),
  );
  server.registerPrompt('test_prompt_with_image', { description: 'A prompt with an image' }, async (): Promise<GetPromptResult> => ({
    messages: [
      { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ],
  }));
  server.registerPrompt('test_input_required_result_prompt', { description: 'A prompt that first asks the user for context' }, async (ctx): Promise<GetPromptResult> => {
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_context');
    if (typeof answer?.context !== 'string') {
      return inputRequired({
        inputRequests: {
          user_context: inputRequired.elicit({
            message: 'What context should the prompt use?',
            requestedSchema: { type: 'object', properties: { context: { type: 'string' } }, required: ['context'] },
          }),
        },
      }) as unknown as GetPromptResult;
    }
    return { messages: [{ role: 'user', content: { type: 'text', text: `Use this context: ${answer.context}` } }] };
  });
  server.server.setRequestHandler('completion/complete', async () => ({ completion: { values: [], total: 0, hasMore: false } }));
  server.server.setRequestHandler('logging/setLevel', async () => ({}));
}
