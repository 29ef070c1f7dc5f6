/** The associated data a destination's sealed field is bound to: a value copied to another row or field does not open. */
export function sealContext(tenantId: string, destinationId: string, field: 'url' | 'secret'): string {
  return `notifications:${tenantId}:${destinationId}:${field}`;
}
