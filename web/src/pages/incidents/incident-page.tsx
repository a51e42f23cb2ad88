/** Incident (being built). */
export function IncidentPage() {
  return <h1>Incident</h1>;
}
