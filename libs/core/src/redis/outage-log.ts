import type { Logger } from 'pino';

/** Logs a dependency going away and coming back once per transition, not once per failed call. */
export class OutageLog {
  private down = false;

  constructor(
    private readonly logger: Logger | undefined,
    private readonly what: string,
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  failed(error: Error, context: Record<string, unknown> = {}): void {
    if (this.down) return;
    this.down = true;
    this.logger?.warn({ ...context, err: error.message }, `${this.what} unavailable`);
  }

  recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.logger?.info(`${this.what} available again`);
  }
}
