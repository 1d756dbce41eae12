export interface GroupEndpoints {
  streamableHttp: string;
  sse: string;
}

export function groupEndpoints(publicUrl: string, slug: string): GroupEndpoints {
  return { streamableHttp: `${publicUrl}/mcp/${slug}`, sse: `${publicUrl}/sse/${slug}` };
}
