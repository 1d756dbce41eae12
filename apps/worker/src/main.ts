import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, PINO, PinoNestLogger, loadConfig, type Logger } from '#core';
import { WorkerModule } from './worker.module.js';

async function main() {
  let config;
  try {
    config = loadConfig().config;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (!config.redisUrl || !config.databaseUrl) {
    console.error('Invalid configuration: the worker needs REDIS_URL and DATABASE_URL (in embedded mode the hub runs jobs itself)');
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(new PinoNestLogger(app.get<Logger>(PINO)));
  app.enableShutdownHooks();
  app.get<Logger>(PINO).info('MCP Hub worker started');
}

main().catch((error: unknown) => {
  console.error('MCP Hub worker failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
