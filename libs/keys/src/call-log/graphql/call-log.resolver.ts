import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { UsageDimension } from '../call-log.repository.js';
import { CallLogService } from '../call-log.service.js';
import { CALL_SERIES_MAX_BUCKETS } from '../call-series.js';
import { CallLogEntryType, CallLogFilterInput, CallLogPageType, CallSeriesBucketType, UsageAnalyticsRowType } from './call-log.types.js';

@Resolver(() => CallLogEntryType)
export class CallLogResolver {
  constructor(private readonly callLogs: CallLogService) {}

  @Authorize(Permission.CALL_LOG_READ)
  @Query(() => CallLogPageType, { description: "Agent calls, newest first: your keys' calls; admins and auditors see all" })
  callLog(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => CallLogFilterInput, nullable: true }) filter?: CallLogFilterInput | null,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100 (default 50)' }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ) {
    return this.callLogs.page(actor, { filter: filter ? { ...filter } : null, first, after });
  }

  @Authorize(Permission.CALL_LOG_READ)
  @Query(() => [UsageAnalyticsRowType], { description: 'Calls, errors and latency percentiles per key, user, group, server or tool in [from, to), over the calls you may see' })
  usageAnalytics(
    @CurrentActor() actor: Actor,
    @Args('from', { type: () => Date }) from: Date,
    @Args('to', { type: () => Date }) to: Date,
    @Args('groupBy', { type: () => UsageDimension }) groupBy: UsageDimension,
    @Args('filter', { type: () => CallLogFilterInput, nullable: true }) filter?: CallLogFilterInput | null,
  ) {
    return this.callLogs.analytics(actor, { from, to, groupBy, filter: filter ? { ...filter } : null });
  }

  @Authorize(Permission.CALL_LOG_READ)
  @Query(() => [CallSeriesBucketType], {
    description: `Calls and errors per time bucket of [from, to), oldest first, empty buckets included, over the calls you may see (at most ${CALL_SERIES_MAX_BUCKETS} buckets)`,
  })
  callSeries(
    @CurrentActor() actor: Actor,
    @Args('from', { type: () => Date }) from: Date,
    @Args('to', { type: () => Date }) to: Date,
    @Args('bucketSeconds', { type: () => Int, description: 'Bucket size, 60..86400 (60: calls per minute)' }) bucketSeconds: number,
    @Args('filter', { type: () => CallLogFilterInput, nullable: true }) filter?: CallLogFilterInput | null,
  ) {
    return this.callLogs.series(actor, { from, to, bucketSeconds, filter: filter ? { ...filter } : null });
  }
}
