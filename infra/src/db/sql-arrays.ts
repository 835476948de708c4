/**
 * PostgreSQL array literals passed as ONE parameter (`= any(?::uuid[])`): the query builder would
 * expand a JS array into a list of parameters.
 */
export const uuidArray = (ids: Iterable<string>): string => `{${[...new Set(ids)].join(',')}}`;

/** Text values quoted for an array literal (`= any(?::text[])`). */
export const textArray = (values: Iterable<string>): string => `{${[...new Set(values)].map((v) => JSON.stringify(v)).join(',')}}`;
