import { badInput } from '../errors';

/** Relay-style page arguments. Cursors are opaque offsets into the sorted list. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export const MAX_PAGE = 200;

export function pageWindow(args: PageArgs): { limit: number; offset: number } {
  const limit = args.first ?? 50;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE) {
    throw badInput(`Số bản ghi mỗi trang từ 0 đến ${MAX_PAGE}`, 'PAGE_SIZE_OUT_OF_RANGE', ['first']);
  }
  let offset = 0;
  if (args.after) {
    const decoded = Buffer.from(args.after, 'base64url').toString('utf8');
    const m = /^o:(\d+)$/.exec(decoded);
    if (!m) throw badInput('Con trỏ phân trang không hợp lệ', 'BAD_CURSOR', ['after']);
    offset = Number(m[1]) + 1;
  }
  return { limit, offset };
}

const cursorAt = (i: number) => Buffer.from(`o:${i}`, 'utf8').toString('base64url');

export interface Connection<T> {
  totalCount: number;
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function connection<T>(nodes: T[], totalCount: number, offset: number): Connection<T> {
  const edges = nodes.map((node, i) => ({ cursor: cursorAt(offset + i), node }));
  return {
    totalCount,
    edges,
    pageInfo: {
      hasNextPage: offset + nodes.length < totalCount,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
