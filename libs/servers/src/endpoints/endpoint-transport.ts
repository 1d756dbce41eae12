export enum ServerTransport {
  STDIO = 'STDIO',
  SSE = 'SSE',
  STREAMABLE_HTTP = 'STREAMABLE_HTTP',
}

/** An env variable or header; `value` is sealed with SecretBox (context `server:<endpoint id>:env|header:<name>`). */
export interface SealedEntry {
  name: string;
  value: string;
}
