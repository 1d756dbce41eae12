import { graphql, type ResultOf } from '../graphql/graphql';

/** The server writes each client's snippet (Group.clientConfigs); the dashboard only fills in a fresh key. */
export const ClientConfigFields = graphql(`
  fragment ClientConfigFields on ClientConfig { client label location language text keyPlaceholder docsUrl }
`);

export type ClientConfig = ResultOf<typeof ClientConfigFields>;

/** The snippet with `apiKey` in place of its placeholder (a key is shown once, right after it is created). */
export function snippetText(config: ClientConfig, apiKey?: string): string {
  return apiKey && config.keyPlaceholder ? config.text.replaceAll(config.keyPlaceholder, apiKey) : config.text;
}
