/**
 * A Temporal connection that cannot work as configured; the message says why and what to set. (Its own
 * module, so that reporting it loads no Temporal SDK.)
 */
export class TemporalConnectionError extends Error {
  constructor(
    message: string,
    /** `refused`: the settings are wrong (fix them); `unreachable`: nothing answered (maybe later). */
    readonly kind: 'refused' | 'unreachable',
  ) {
    super(message);
  }
}
