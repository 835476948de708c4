/**
 * Merges the resolver maps of several modules type by type: two modules that both add fields to
 * Query or Mutation keep all of them (an object spread would let the last module's Query win).
 * A field defined twice is a mistake and stops the boot.
 */
export function mergeResolverMaps<M extends Record<string, any>>(...maps: M[]): M {
  const merged: Record<string, any> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      const existing = merged[type];
      if (existing === undefined) {
        merged[type] = fields;
        continue;
      }
      // scalars and other non-plain values cannot be combined
      if (Object.getPrototypeOf(existing) !== Object.prototype || Object.getPrototypeOf(fields) !== Object.prototype) {
        throw new Error(`Resolvers for ${type} are defined twice`);
      }
      for (const field of Object.keys(fields)) {
        if (field in existing) throw new Error(`Resolver ${type}.${field} is defined twice`);
      }
      merged[type] = { ...existing, ...fields };
    }
  }
  return merged as M;
}
