export interface GroupEndpoints {
  streamableHttp: string;
  sse: string;
}

export function groupEndpoints(publicUrl: string, slug: string): GroupEndpoints {
  return { streamableHttp: `${publicUrl}/mcp/${slug}`, sse: `${publicUrl}/sse/${slug}` };
}

/** Ready to paste into Cursor / Claude Desktop / VS Code. A placeholder, never a real key: keys are shown once. */
export function groupClientConfig(publicUrl: string, slug: string): string {
  const config = {
    mcpServers: {
      [slug]: { url: groupEndpoints(publicUrl, slug).streamableHttp, headers: { Authorization: 'Bearer <YOUR_API_KEY>' } },
    },
  };
  return JSON.stringify(config, null, 2);
}
