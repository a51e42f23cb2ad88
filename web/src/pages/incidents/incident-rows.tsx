import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { Link } from 'react-router-dom';
import type { Incident } from '../../api/types.js';
import { relativeTime, StatusBadge } from '../../components/status.js';

/** Props of IncidentRows. */
export interface IncidentRowsProps {
  incidents: Incident[];
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: () => void;
}

const ROW_HEIGHT = 58;

/** The incident list, virtualised: only the rows in view are in the page, so 1,000 stay smooth. */
export function IncidentRows({ incidents, selected, onToggle, onToggleAll }: IncidentRowsProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: incidents.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => incidents[index]!.id,
  });
  const allSelected = incidents.length > 0 && incidents.every((i) => selected.has(i.id));
  return (
    <div role="table" aria-label="Incidents" aria-rowcount={incidents.length + 1}>
      <div role="row" className="incident-head-row">
        <span role="columnheader">
          <input
            type="checkbox"
            aria-label="Select all incidents"
            checked={allSelected}
            onChange={onToggleAll}
          />
        </span>
        <span role="columnheader">Status</span>
        <span role="columnheader">Incident</span>
        <span role="columnheader" className="wide">
          Assigned to
        </span>
        <span role="columnheader" className="wide">
          Opened
        </span>
      </div>
      <div ref={scroller} className="incident-list" data-testid="incident-list">
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const incident = incidents[item.index]!;
            const assignees = incident.assignments.map((a) => a.assignee.summary).join(', ');
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                className={`incident-row${selected.has(incident.id) ? ' selected' : ''}`}
                style={{ top: item.start, height: ROW_HEIGHT }}
                data-incident-id={incident.id}
              >
                <span role="cell">
                  <input
                    type="checkbox"
                    aria-label={`Select incident #${incident.incident_number}`}
                    checked={selected.has(incident.id)}
                    onChange={() => onToggle(incident.id)}
                  />
                </span>
                <span role="cell">
                  <StatusBadge status={incident.status} />
                  {incident.urgency === 'low' && <span className="muted"> low</span>}
                </span>
                <span role="cell" className="title">
                  <Link to={`/incidents/${incident.id}`}>
                    #{incident.incident_number} {incident.title}
                  </Link>
                  <div className="meta">{incident.service.summary}</div>
                </span>
                <span role="cell" className="meta wide">
                  {assignees || '—'}
                </span>
                <span role="cell" className="meta wide" title={incident.created_at}>
                  {relativeTime(incident.created_at)}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
