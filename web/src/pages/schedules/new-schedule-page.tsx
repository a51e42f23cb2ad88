import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, messageOf } from '../../api/client.js';
import { ErrorText, Loading } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import { loadUsers } from '../people/people-api.js';
import '../people/ui.css';
import { LayerEditor } from './layer-editor.js';
import { layerBody, newLayer, timeZones, viewerZone, type Layer, type Schedule } from './schedule-api.js';

/** A new schedule: name, time zone and its first layer. */
export function NewSchedulePage() {
  const navigate = useNavigate();
  const users = useResource((signal) => loadUsers(signal), 'users');
  const [name, setName] = useState('');
  const [zone, setZone] = useState(viewerZone);
  const [layer, setLayer] = useState<Layer>(newLayer(1));
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const made = await api.post<{ schedule: Schedule }>('schedules', {
        schedule: { type: 'schedule', name, time_zone: zone, schedule_layers: [layerBody(layer)] },
      });
      void navigate(`/schedules/${made.schedule.id}`);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section aria-labelledby="new-schedule-title">
      <p>
        <Link to="/schedules">← Schedules</Link>
      </p>
      <h1 id="new-schedule-title">New schedule</h1>
      {!users.data ? (
        <Loading />
      ) : (
        <form className="stack" onSubmit={(e) => void submit(e)} aria-label="New schedule">
          <div className="card stack">
            <label>
              Name
              <input required value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <label>
              Time zone
              <select value={zone} onChange={(e) => setZone(e.target.value)}>
                {timeZones().map((z) => (
                  <option key={z}>{z}</option>
                ))}
              </select>
            </label>
          </div>
          <LayerEditor layer={layer} n={1} users={users.data} onChange={setLayer} />
          <ErrorText>{error}</ErrorText>
          <div className="actions">
            <button type="submit" className="primary">
              Create schedule
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
