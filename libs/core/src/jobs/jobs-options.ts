/** Injection token of JobsModule's options (which jobs this process must handle). */
export const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');
