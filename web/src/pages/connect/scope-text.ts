/** What each scope lets an app do, in words for the consent page. */
export function scopeText(scope: string): string {
  if (scope === 'read') return 'Read everything you can see in Tocsin';
  if (scope === 'write') return 'Read and change everything you can change in Tocsin';
  const [resource, access] = scope.split('.');
  const what = (resource ?? scope).replace(/_/g, ' ');
  return access === 'write' ? `Read and change ${what}` : `Read ${what}`;
}
