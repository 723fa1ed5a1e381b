/** A usage report handed to the config poll that will carry it. */
export interface OutgoingUsageReport {
  /** The report as JSON text: the request body. */
  readonly body: string;
  /** The endpoint answered the request that carried it (200 or 304): it is not sent again. */
  delivered(): void;
}

/**
 * What the HTTP config provider asks before a background poll. Reports ride only on polls the app
 * makes anyway: telemetry adds no request.
 */
export interface UsageReportOutbox {
  /** The report due now, if any (at most one a minute, for a closed minute). Never rejects. */
  next(): Promise<OutgoingUsageReport | undefined>;
  /** The endpoint takes no reports (an older Worker): stop collecting and sending for this session. */
  refused(): void;
}
