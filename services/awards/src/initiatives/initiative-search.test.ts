import type { EntityManager } from '@mikro-orm/postgresql';
import { foldVietnamese, rawQuery, type MikroORM } from '@xhht/infra';
import { awardsTestOrm, draftInitiative, initiativeInput, recognisedInitiative, seedArea } from '../../../../test/support/initiatives';
import { listExemplaryStories, type ExemplaryStoryArgs } from './initiative.repository';

/** Exemplary stories searched on real PostgreSQL: diacritics and case ignored (unaccent), words all required, by subtree. */
describe('exemplary stories search', () => {
  let orm: MikroORM;
  let area: Awaited<ReturnType<typeof seedArea>>;
  const ids: Record<string, string> = {};
  const fork = () => orm.em.fork() as unknown as EntityManager;
  const titles = async (args: ExemplaryStoryArgs) => (await listExemplaryStories(fork(), args)).edges.map((e) => e.node.title).sort();

  beforeAll(async () => {
    orm = await awardsTestOrm('xhht_test_awards_initiative_search');
    area = await fork().transactional((tx) => seedArea(tx as EntityManager));
    ids.family = await recognisedInitiative(
      orm,
      initiativeInput(area.communeA, {
        title: 'Mô hình "Gia đình học tập số" ở phường Đông Kinh',
        description: 'Mỗi tối thứ Bảy, cả nhà cùng Học Tập kỹ năng số với con cháu.',
      }),
      area.province,
    );
    ids.road = await recognisedInitiative(
      orm,
      initiativeInput(area.communeB, {
        kind: 'CREATIVE_PRACTICE',
        field: 'READING_CULTURE',
        title: 'Tủ sách bên Đường làng',
        description: 'Đoàn thanh niên xã góp sách, mở tủ sách 100% miễn phí cho người đi đường.',
      }),
      area.province,
    );
    ids.draft = await draftInitiative(
      orm,
      initiativeInput(area.communeA, { title: 'Lớp học tập tiếng Anh buổi tối', description: 'Bản nháp, chưa gửi.' }),
    );
  });
  afterAll(() => orm?.close(true));

  it('finds "Học tập" from "hoc tap" and "HOC TAP", and đ from d, in title or description', async () => {
    expect(await titles({ search: 'hoc tap' })).toEqual(['Mô hình "Gia đình học tập số" ở phường Đông Kinh']);
    expect(await titles({ search: 'HOC TAP' })).toEqual(['Mô hình "Gia đình học tập số" ở phường Đông Kinh']);
    expect(await titles({ search: 'duong lang' })).toEqual(['Tủ sách bên Đường làng']);
    expect(await titles({ search: 'ĐOÀN THANH NIÊN' })).toEqual(['Tủ sách bên Đường làng']);
    expect(await titles({ search: 'dong kinh' })).toEqual(['Mô hình "Gia đình học tập số" ở phường Đông Kinh']);
  });

  it('needs every word, takes LIKE wildcards literally, and lists only recognised initiatives', async () => {
    expect(await titles({ search: 'hoc tap duong' })).toEqual([]);
    expect(await titles({ search: '100%' })).toEqual(['Tủ sách bên Đường làng']);
    expect(await titles({ search: '%' })).toEqual(['Tủ sách bên Đường làng']);
    expect(await titles({ search: '_' })).toEqual([]);
    // the draft mentions "tiếng Anh" and "học tập" but is not recognised
    expect(await titles({ search: 'tieng anh' })).toEqual([]);
    expect(await titles({})).toHaveLength(2);
  });

  it('filters by the unit subtree, kind and field, and pages', async () => {
    expect(await titles({ unitId: area.communeA })).toEqual(['Mô hình "Gia đình học tập số" ở phường Đông Kinh']);
    expect(await titles({ unitId: area.province })).toHaveLength(2);
    expect(await titles({ unitId: area.province, kind: 'CREATIVE_PRACTICE' })).toEqual(['Tủ sách bên Đường làng']);
    expect(await titles({ field: 'FAMILY_LEARNING' })).toEqual(['Mô hình "Gia đình học tập số" ở phường Đông Kinh']);
    const first = await listExemplaryStories(fork(), { unitId: area.province, first: 1 });
    expect(first.totalCount).toBe(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await listExemplaryStories(fork(), { unitId: area.province, first: 1, after: first.pageInfo.endCursor });
    expect(second.edges.map((e) => e.node.id)).not.toEqual(first.edges.map((e) => e.node.id));
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it("folds Vietnamese in PostgreSQL as the project's foldVietnamese does in TypeScript", async () => {
    const samples = ['Học tập suốt đời', 'ĐẶC KHU CÔN ĐẢO', 'Xã Ia Mơ', 'Phố Bảng', 'Nguyễn Thị Ánh Tuyết', 'Khuyến học, khuyến tài'];
    for (const s of samples) {
      const [row] = await rawQuery<{ folded: string }[]>(fork(), 'select initiative_fold(?) as folded', [s]);
      expect(row!.folded).toBe(foldVietnamese(s));
    }
    // decomposed input (combining marks) folds like the composed one
    const [nfd] = await rawQuery<{ folded: string }[]>(fork(), 'select initiative_fold(?) as folded', ['Học tập'.normalize('NFD')]);
    expect(nfd!.folded).toBe('hoc tap');
  });
});
