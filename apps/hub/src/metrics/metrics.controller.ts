import { RouteAuth } from '#auth';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HUB_CONFIG, MetricsRegistry, serveMetrics, type HubConfig } from '#core';

/** Prometheus scrape endpoint; who may read it is decided in serveMetrics (token, loopback, or off). */
@RouteAuth('METRICS_TOKEN bearer token, or loopback clients when no token is set')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly registry: MetricsRegistry,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  @Get()
  scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    return serveMetrics(req, res, this.config.metrics, this.registry);
  }
}
