import { Injectable } from '@nestjs/common';

/**
 * The time as the hub's expiry checks see it. One injectable place, so specs can move time forward (a capture that
 * ends in an hour is tested without waiting an hour).
 */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }
}
