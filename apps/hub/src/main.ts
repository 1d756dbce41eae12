import 'reflect-metadata';
import { ConfigError, createLogger, loadConfig } from '#core';
import { createHubApp } from './create-hub-app.js';

async function main() {
  let loaded;
  try {
    loaded = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { config, warnings } = loaded;
  const log = createLogger(config.logLevel);
  for (const warning of warnings) log.warn(warning);
  const app = await createHubApp(config, { schemaFile: config.env === 'production' ? false : undefined });
  await app.listen(config.http.port, config.http.host);
  log.info(
    { url: config.http.publicUrl, mode: config.databaseUrl ? 'postgres' : 'embedded', jobs: config.redisUrl ? 'bullmq' : 'in-process' },
    `MCP Hub listening on ${config.http.host}:${config.http.port}`,
  );
}

main().catch((error: unknown) => {
  console.error('MCP Hub failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
