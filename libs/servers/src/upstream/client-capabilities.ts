/**
 * What the hub declares as an MCP client to every upstream: the gateway's live connections and the test probe
 * alike, since servers offer tools by the client's capabilities (server-everything adds its sampling, elicitation
 * and roots tools only when the client supports them). One constant, so the discovered tools are the ones agents get.
 */
export const HUB_CLIENT_CAPABILITIES = { sampling: {}, elicitation: {}, roots: { listChanged: true } };
