import type { SourceFigures } from '../model/fleet-figures.ts';
import { FLEET_FIGURE_ROWS } from '../model/fleet-rows.ts';

/**
 * The fleet's figures per source over the window: one column per source, so a new source kind
 * adds a column and a narrow screen still fits both. Shares are of that source's requests.
 */
export function FleetSourceTable(props: { sources: readonly SourceFigures[]; windowName: string }) {
  return (
    <div className="cartae-admin__table-wrap cartae-admin__fleet-table">
      <table>
        <caption>Per source, {props.windowName}</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="cartae-admin__visually-hidden">Figure</span>
            </th>
            {props.sources.map((s) => (
              <th scope="col" key={s.source}>
                {s.shortLabel}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {FLEET_FIGURE_ROWS.map((row) => (
            <tr key={row.name}>
              <th scope="row">{row.name}</th>
              {props.sources.map((s) => (
                <td key={s.source}>{row.value(s)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
