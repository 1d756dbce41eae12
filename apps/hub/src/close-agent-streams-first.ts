import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { SessionRegistry } from '#mcp-gateway';

/**
 * The first step of the hub's shutdown: the root module's destroy hooks run before every other module's. Apollo's
 * GraphQL server, stopping next, drains the whole HTTP server: it waits up to 10 s for every open connection, an
 * agent's event stream included, before cutting them all, calls in flight with them. With the streams ended here,
 * only calls in flight hold it.
 */
@Injectable()
export class CloseAgentStreamsFirst implements OnModuleDestroy {
  constructor(private readonly sessions: SessionRegistry) {}

  onModuleDestroy(): void {
    this.sessions.closeStreams();
  }
}
