import type { INestApplication } from '@nestjs/common';
import { QuotaService } from '#keys';

/**
 * The hub charges quotas with the wall clock; this freezes it halfway through the current minute so that no count
 * straddles a minute boundary (through QuotaService.charge's public `now` parameter). Returns the undo.
 */
export function freezeQuotaClock(app: INestApplication): () => void {
  const quotas = app.get(QuotaService);
  const charge = quotas.charge;
  const frozen = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
  quotas.charge = (keyId, limits, now) => charge.call(quotas, keyId, limits, now ?? frozen);
  return () => void (quotas.charge = charge);
}
