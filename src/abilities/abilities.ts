/**
 * The abilities Tocsin reports (PagerDuty's names for account features). Scripts and apps ask
 * `GET /abilities/{id}` before using a feature, so only what Tocsin really does is listed.
 */
export const TOCSIN_ABILITIES: readonly string[] = [
  'teams',
  'read_only_users',
  'service_support_hours',
  'urgencies',
  'manage_schedules',
  'manage_api_keys',
];

/** PagerDuty abilities Tocsin knows of but does not have (asked for, they answer 402, not 404). */
export const MISSING_ABILITIES: readonly string[] = [
  'sso',
  'advanced_reports',
  'team_responders',
  'coordinated_responding',
  'coordinated_responding_preview',
  'event_rules',
  'beta_custom_actions',
  'preview_incident_alert_split',
  'permissions_service',
];

/** Whether Tocsin has an ability: true, false (a known PagerDuty ability it lacks) or undefined (unknown). */
export function hasAbility(name: string): boolean | undefined {
  if (TOCSIN_ABILITIES.includes(name)) return true;
  return MISSING_ABILITIES.includes(name) ? false : undefined;
}
