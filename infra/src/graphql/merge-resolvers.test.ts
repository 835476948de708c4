import { mergeResolverMaps } from './merge-resolvers';

describe('mergeResolverMaps', () => {
  it('keeps every module’s Query and Mutation fields', () => {
    const one = () => 1;
    const two = () => 2;
    const merged = mergeResolverMaps<Record<string, any>>({ Query: { a: one }, Unit: { x: one } }, { Query: { b: two } });
    expect(merged).toEqual({ Query: { a: one, b: two }, Unit: { x: one } });
  });

  it('refuses a field defined by two modules', () => {
    expect(() => mergeResolverMaps<Record<string, any>>({ Query: { a: () => 1 } }, { Query: { a: () => 2 } })).toThrow(
      'Query.a is defined twice',
    );
  });
});
