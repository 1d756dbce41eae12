import { Processor } from '@nestjs/bullmq';
import { JobName, JobProcessor, QueueName, type JobHandlers } from '#core';
import { SignInSessionPurger } from './sign-in-session.purger.js';

@Processor(QueueName.USERS)
export class UsersProcessor extends JobProcessor {
  constructor(private readonly purger: SignInSessionPurger) {
    super();
  }

  readonly handlers: JobHandlers = {
    [JobName.SIGN_IN_SESSION_PURGE]: () => this.purger.purge(),
  };
}
