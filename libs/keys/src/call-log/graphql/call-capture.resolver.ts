import { Authorize, CurrentActor, Permission, type Actor } from '#auth';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CaptureTarget } from '../capture/call-capture.entity.js';
import { CallCaptureService } from '../capture/call-capture.service.js';
import { CallCaptureType } from './call-log.types.js';

@Resolver(() => CallCaptureType)
export class CallCaptureResolver {
  constructor(private readonly captures: CallCaptureService) {}

  @Authorize(Permission.CALL_CAPTURE_MANAGE)
  @Mutation(() => CallCaptureType, {
    description: "DEBUG capture: for `minutes` (at most 60), store the arguments and results of this key's or group's calls in the call log (secrets redacted, truncated to 8 KiB). Owner or admin.",
  })
  enableCallCapture(
    @CurrentActor() actor: Actor,
    @Args('target', { type: () => CaptureTarget }) target: CaptureTarget,
    @Args('id', { type: () => ID }) id: string,
    @Args('minutes', { type: () => Int }) minutes: number,
  ) {
    return this.captures.enable(actor, { target, id, minutes });
  }

  @Authorize(Permission.CALL_CAPTURE_MANAGE)
  @Mutation(() => Boolean, { description: 'Ends a DEBUG capture now; false when none was running' })
  disableCallCapture(
    @CurrentActor() actor: Actor,
    @Args('target', { type: () => CaptureTarget }) target: CaptureTarget,
    @Args('id', { type: () => ID }) id: string,
  ) {
    return this.captures.disable(actor, { target, id });
  }

  @Authorize(Permission.CALL_LOG_READ)
  @Query(() => [CallCaptureType], { description: 'DEBUG captures still running on your keys and groups (admins and auditors: all)' })
  callCaptures(@CurrentActor() actor: Actor) {
    return this.captures.active(actor);
  }
}
