/**
 * @cartae/fleet-simulation — a virtual-time simulation of a fleet of installed Cartae apps
 * (no sockets, no timers): how fast an admin's source switch reaches running apps, what the
 * control plane and Git see per hour, and what users see during a Git rate-limit episode, for
 * the user's design and for our resolver side by side.
 *
 * @example
 * import { renderMarkdown, renderSvg, runSimulation } from '@cartae/fleet-simulation';
 * const report = runSimulation({ installs: 10_000, hours: 24, seed: 1 }, (p) => bar.update(p.fraction));
 * await writeFile('simulation.md', renderMarkdown(report));
 * await writeFile('simulation.svg', renderSvg(report));
 * await writeFile('simulation.json', JSON.stringify(report));
 */

/**
 * Renders a report as markdown (the scenario, the side-by-side table and hourly figures), and the
 * automatic switch and telemetry's load in a few lines for a terminal.
 */
export { renderHighlights, renderMarkdown } from './render-markdown.ts';
/** Renders a report as a self-contained SVG chart of the share per source over time, per strategy. */
export { renderSvg } from './render-svg.ts';
/** Runs the simulation; `SimulationProgress` is what the optional progress callback receives. */
export { runSimulation, type SimulationProgress } from './run-simulation.ts';
/**
 * The options `runSimulation` accepts, their defaults, and `resolveSimulationOptions`, which fills
 * and checks them (the report records the resolved options).
 */
export {
  type ActivityOptions,
  AUTO_SWITCH_EXAMPLE,
  DEFAULT_ACTIVITY,
  DEFAULT_NETWORK,
  DEFAULT_STRATEGIES,
  type NetworkOptions,
  type RateLimitEpisode,
  type ResolvedSimulationOptions,
  resolveSimulationOptions,
  type SimulationOptions,
} from './simulation-options.ts';
/** The report: plain, JSON-serialisable data. */
export type {
  AutomationReport,
  EpisodeReport,
  FleetSummary,
  HourlySeries,
  OutcomeSeries,
  PropagationReport,
  SimulationReport,
  StrategyReport,
  TelemetryReport,
  UserOutcomes,
} from './simulation-report.ts';
/** The strategies that can be compared, and the label given to one that names none. */
export { type ResolverSpec, type StrategySpec, strategyLabel, type UserDesignSpec } from './strategy-spec.ts';
