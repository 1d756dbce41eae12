import { DiscoveryService } from '@nestjs/core';
import { JobName } from './job-names.js';
import { JobProcessor } from './job-processor.js';

/** Finds every JobProcessor in the app and checks that each expected job has exactly one handler (default: all jobs). */
export function discoverProcessors(discovery: DiscoveryService, expected: readonly JobName[] = Object.values(JobName)): Map<JobName, JobProcessor> {
  const byJob = new Map<JobName, JobProcessor>();
  for (const wrapper of discovery.getProviders()) {
    const instance: unknown = wrapper.instance;
    if (!(instance instanceof JobProcessor)) continue;
    for (const name of Object.keys(instance.handlers) as JobName[]) {
      if (byJob.has(name)) throw new Error(`Job "${name}" has two handlers: ${byJob.get(name)!.constructor.name} and ${instance.constructor.name}`);
      byJob.set(name, instance);
    }
  }
  const missing = expected.filter((name) => !byJob.has(name));
  if (missing.length) throw new Error(`Jobs without a handler: ${missing.join(', ')}`);
  return byJob;
}
