/** @cartae/local-git-host — a loopback Git host for tests, benchmarks and the local stack. */
export { type Behaviour, SERVE } from './behaviour.ts';
export { type GitHost, type GitHostOptions, type RecordedRequest, startGitHost } from './git-host.ts';
export { parseRateLimitSpec, RateLimitWindow } from './rate-limit-window.ts';
