import type { CriteriaDefinition } from './criteria-definition';

/**
 * Sample criteria sets, one per title (two for Learning Community: village and commune level),
 * shipped PUBLISHED so a fresh system can run a cycle at once. They follow the structures of
 * domain.md §2 (Association criteria, Circulars 24 and 25 of 2023, Association decision 244 for
 * Learning Citizens) but are not the official texts, which vary by province: every one is marked
 * `sample` and named "Mẫu — …". Offices author their own sets (or new versions of these).
 */
export interface SampleCriteriaSet {
  id: string;
  code: string;
  title: string;
  subjectLevel: string;
  name: string;
  legalBasis: string;
  validFrom: string;
  definition: CriteriaDefinition;
}

export const SAMPLE_NOTE = 'Mẫu — bộ tiêu chí chính thức do địa phương ban hành';

type IndicatorSpec = [code: string, text: string, maxPoints: number | 'PASS_FAIL', evidence?: string, thresholds?: Record<string, number>];

function criterion(code: string, name: string, indicators: IndicatorSpec[]): CriteriaDefinition['criteria'][number] {
  return {
    code,
    name,
    indicators: indicators.map(([c, text, max, evidence, thresholds]) => ({
      code: c,
      text,
      scoring: max === 'PASS_FAIL' ? 'PASS_FAIL' : 'POINTS',
      maxPoints: max === 'PASS_FAIL' ? null : max,
      evidenceRequired: evidence !== undefined,
      evidenceDescription: evidence ?? null,
      thresholds: Object.entries(thresholds ?? {}).map(([level, points]) => ({ level: level as 'LEVEL_1', points })),
    })),
  };
}

const L1 = { LEVEL_1: 5 };
const RAISED = { LEVEL_1: 5, LEVEL_2: 8 };

export const SAMPLE_CRITERIA_SETS: SampleCriteriaSet[] = [
  {
    id: '074ceb0a-15fd-4017-ab42-31a9e7016a81',
    code: 'MAU-GDHT',
    title: 'LEARNING_FAMILY',
    subjectLevel: 'HOUSEHOLD',
    name: 'Mẫu — Bộ tiêu chí Gia đình học tập (theo cấu trúc tiêu chí của Hội Khuyến học)',
    legalBasis: 'Mẫu tham khảo theo cấu trúc tiêu chí của Hội Khuyến học Việt Nam; bộ chính thức do địa phương ban hành',
    validFrom: '2023-01-01',
    definition: {
      criteria: [
        criterion('TC1', 'Kế hoạch và điều kiện học tập của gia đình', [
          [
            '1.1',
            'Gia đình có kế hoạch học tập; mỗi thành viên có nhu cầu và kế hoạch học tập phù hợp',
            10,
            'Kế hoạch học tập của gia đình',
          ],
          ['1.2', 'Có góc học tập, sách báo, phương tiện học tập (máy tính, điện thoại kết nối Internet)', 10],
          ['1.3', 'Dành thời gian và kinh phí cho học tập của các thành viên', 10],
        ]),
        criterion('TC2', 'Kết quả học tập của các thành viên', [
          ['2.1', 'Trẻ em trong độ tuổi đi học đều đến trường, hoàn thành chương trình theo cấp học', 15, 'Xác nhận của nhà trường'],
          ['2.2', 'Người lớn tham gia học tập thường xuyên: học nghề, cập nhật kiến thức, kỹ năng', 15],
          ['2.3', 'Không có thành viên mù chữ hoặc tái mù chữ', 10],
        ]),
        criterion('TC3', 'Tác dụng của học tập', [
          ['3.1', 'Kinh tế gia đình ổn định, các thành viên chấp hành pháp luật', 10],
          ['3.2', 'Gia đình hòa thuận, đạt danh hiệu Gia đình văn hóa', 10],
          ['3.3', 'Tham gia phong trào khuyến học, khuyến tài ở địa phương', 10],
        ]),
      ],
      levels: [
        {
          level: 'ACHIEVED',
          rules: [
            { kind: 'TOTAL_AT_LEAST', points: 80 },
            { kind: 'NO_CRITERION_ZERO', criteria: null },
          ],
        },
      ],
    },
  },
  {
    id: 'b54385f8-613f-4ef3-b627-5ff18f94fc9e',
    code: 'MAU-DHHT',
    title: 'LEARNING_CLAN',
    subjectLevel: 'CLAN',
    name: 'Mẫu — Bộ tiêu chí Dòng họ học tập (theo cấu trúc tiêu chí của Hội Khuyến học)',
    legalBasis: 'Mẫu tham khảo theo cấu trúc tiêu chí của Hội Khuyến học Việt Nam; bộ chính thức do địa phương ban hành',
    validFrom: '2023-01-01',
    definition: {
      criteria: [
        criterion('TC1', 'Tổ chức và điều kiện học tập của dòng họ', [
          ['1.1', 'Dòng họ có ban khuyến học và kế hoạch học tập hằng năm', 15, 'Quyết định thành lập ban khuyến học, kế hoạch'],
          ['1.2', 'Có quỹ khuyến học của dòng họ, được quản lý công khai', 15],
        ]),
        criterion('TC2', 'Kết quả học tập của các hộ và thành viên', [
          ['2.1', 'Ít nhất 50% số hộ trong dòng họ đạt Gia đình học tập', 'PASS_FAIL', 'Danh sách hộ đạt Gia đình học tập'],
          ['2.2', 'Con cháu trong độ tuổi đi học đều đến trường; không có người mù chữ', 20],
          ['2.3', 'Các thành viên tích cực học tập, có nhiều người học tập tiến bộ', 20],
        ]),
        criterion('TC3', 'Tác dụng của học tập', [
          ['3.1', 'Dòng họ đoàn kết, không có người vi phạm pháp luật', 15],
          ['3.2', 'Dòng họ tham gia xây dựng cộng đồng học tập ở địa phương', 15],
        ]),
      ],
      levels: [
        {
          level: 'ACHIEVED',
          rules: [
            { kind: 'TOTAL_AT_LEAST', points: 80 },
            { kind: 'NO_CRITERION_ZERO', criteria: null },
            { kind: 'INDICATORS_PASS', level: 'ACHIEVED', criteria: null, indicators: ['2.1'], raisedOnly: null },
          ],
        },
      ],
    },
  },
  {
    id: '917b78de-351f-41cd-b546-1147a10c67ce',
    code: 'MAU-CDHT-THON',
    title: 'LEARNING_COMMUNITY',
    subjectLevel: 'VILLAGE',
    name: 'Mẫu — Bộ tiêu chí Cộng đồng học tập cấp thôn (theo cấu trúc tiêu chí của Hội Khuyến học)',
    legalBasis: 'Mẫu tham khảo theo cấu trúc tiêu chí của Hội Khuyến học Việt Nam; bộ chính thức do địa phương ban hành',
    validFrom: '2023-01-01',
    definition: {
      criteria: [
        criterion('TC1', 'Lãnh đạo, tổ chức xây dựng cộng đồng học tập ở thôn', [
          ['1.1', 'Thôn có kế hoạch xây dựng cộng đồng học tập được triển khai', 10, 'Kế hoạch của thôn'],
          ['1.2', 'Có chi hội khuyến học hoạt động thường xuyên', 10],
          ['1.3', 'Nhà văn hóa thôn tổ chức sinh hoạt học tập định kỳ', 10],
        ]),
        criterion('TC2', 'Kết quả xây dựng các mô hình học tập', [
          ['2.1', 'Tỷ lệ hộ đạt Gia đình học tập theo chỉ tiêu của xã', 20, 'Danh sách hộ được công nhận'],
          ['2.2', 'Tỷ lệ dòng họ đạt Dòng họ học tập theo chỉ tiêu của xã', 15],
          ['2.3', 'Tỷ lệ người dân đạt Công dân học tập theo chỉ tiêu của xã', 15],
        ]),
        criterion('TC3', 'Tác dụng của học tập', [
          ['3.1', 'Kinh tế của thôn phát triển, giảm hộ nghèo', 10],
          ['3.2', 'Đời sống văn hóa lành mạnh, an ninh trật tự bảo đảm', 10],
        ]),
      ],
      levels: [
        {
          level: 'LEVEL_1',
          rules: [
            { kind: 'TOTAL_AT_LEAST', points: 70 },
            { kind: 'NO_CRITERION_ZERO', criteria: null },
          ],
        },
        {
          level: 'LEVEL_2',
          rules: [
            { kind: 'LEVEL_HOLDS', level: 'LEVEL_1' },
            { kind: 'TOTAL_AT_LEAST', points: 85 },
          ],
        },
      ],
    },
  },
  {
    id: 'dbb4733c-aa5d-4cc6-abce-fe68b7701ab4',
    code: 'MAU-CDHT-XA',
    title: 'LEARNING_COMMUNITY',
    subjectLevel: 'COMMUNE',
    name: 'Mẫu — Bộ tiêu chí Cộng đồng học tập cấp xã (theo cấu trúc Thông tư 25/2023/TT-BGDĐT)',
    legalBasis: 'Mẫu tham khảo theo cấu trúc Thông tư 25/2023/TT-BGDĐT (5 tiêu chí, 15 chỉ tiêu); bộ chính thức do địa phương ban hành',
    validFrom: '2023-01-01',
    definition: {
      criteria: [
        criterion('TC1', 'Công tác lãnh đạo, chỉ đạo', [
          ['1.1', 'Có nghị quyết, kế hoạch xây dựng cộng đồng học tập cấp xã', 'PASS_FAIL', 'Nghị quyết, kế hoạch của xã'],
          [
            '1.2',
            'Có ban chỉ đạo xây dựng xã hội học tập được kiện toàn, hoạt động theo quy chế',
            'PASS_FAIL',
            'Quyết định kiện toàn ban chỉ đạo',
          ],
          ['1.3', 'Hằng năm sơ kết, tổng kết, khen thưởng phong trào', 'PASS_FAIL'],
        ]),
        criterion('TC2', 'Các điều kiện bảo đảm và môi trường học tập', [
          ['2.1', 'Kinh phí cho hoạt động học tập suốt đời được bố trí trong dự toán', 10, 'Dự toán ngân sách', L1],
          ['2.2', 'Cơ sở vật chất, thiết bị phục vụ học tập cộng đồng', 10, undefined, L1],
          ['2.3', 'Đội ngũ cán bộ, giáo viên, cộng tác viên', 10, undefined, L1],
        ]),
        criterion('TC3', 'Hiệu quả hoạt động của trung tâm học tập cộng đồng, thư viện, nhà văn hóa', [
          ['3.1', 'Trung tâm học tập cộng đồng hoạt động hiệu quả', 10, 'Báo cáo hoạt động của TTHTCĐ', L1],
          ['3.2', 'Thư viện, tủ sách phục vụ người dân', 10, undefined, L1],
          ['3.3', 'Nhà văn hóa, điểm sinh hoạt cộng đồng tổ chức học tập', 10, undefined, L1],
        ]),
        criterion('TC4', 'Phổ cập giáo dục và xóa mù chữ', [
          [
            '4.1',
            'Duy trì, nâng cao chuẩn phổ cập giáo dục mầm non, tiểu học, trung học cơ sở',
            10,
            'Quyết định công nhận phổ cập',
            RAISED,
          ],
          ['4.2', 'Tỷ lệ người từ 15 đến 60 tuổi biết chữ mức độ 2', 10, 'Số liệu điều tra xóa mù chữ', RAISED],
          ['4.3', 'Người dân tham gia các chương trình học tập thường xuyên', 10, undefined, L1],
        ]),
        criterion('TC5', 'Tác động của xây dựng cộng đồng học tập', [
          ['5.1', 'Tỷ lệ hộ đạt Gia đình học tập, dòng họ đạt Dòng họ học tập', 10, 'Danh sách công nhận', RAISED],
          ['5.2', 'Tỷ lệ thôn, tổ dân phố đạt Cộng đồng học tập', 10, undefined, RAISED],
          ['5.3', 'Kinh tế, văn hóa, an ninh trật tự của xã chuyển biến tích cực', 10, undefined, L1],
        ]),
      ],
      levels: [
        {
          level: 'LEVEL_1',
          rules: [
            {
              kind: 'INDICATORS_PASS',
              level: 'LEVEL_1',
              criteria: ['TC1', 'TC2', 'TC3', 'TC4', 'TC5'],
              indicators: null,
              raisedOnly: null,
            },
          ],
        },
        {
          level: 'LEVEL_2',
          rules: [
            { kind: 'LEVEL_HOLDS', level: 'LEVEL_1' },
            { kind: 'INDICATORS_PASS', level: 'LEVEL_2', criteria: ['TC4', 'TC5'], indicators: null, raisedOnly: true },
          ],
        },
      ],
    },
  },
  {
    id: '97b696f4-0028-4827-b6ab-4ac08ec004a7',
    code: 'MAU-DVHT',
    title: 'LEARNING_UNIT',
    subjectLevel: 'ORGANIZATION',
    name: 'Mẫu — Bộ tiêu chí Đơn vị học tập (theo cấu trúc Thông tư 24/2023/TT-BGDĐT)',
    legalBasis: 'Mẫu tham khảo theo cấu trúc Thông tư 24/2023/TT-BGDĐT (3 tiêu chí); bộ chính thức do địa phương ban hành',
    validFrom: '2023-01-01',
    definition: {
      criteria: [
        criterion('TC1', 'Các điều kiện xây dựng đơn vị học tập', [
          ['1.1', 'Có kế hoạch xây dựng đơn vị học tập và kế hoạch học tập của cán bộ, người lao động', 10, 'Kế hoạch của đơn vị', L1],
          ['1.2', 'Bố trí thời gian, kinh phí, cơ sở vật chất cho học tập', 10, undefined, L1],
          ['1.3', 'Ứng dụng công nghệ thông tin, chuyển đổi số trong học tập', 10, undefined, L1],
        ]),
        criterion('TC2', 'Kết quả học tập của cán bộ, người lao động', [
          ['2.1', 'Tỷ lệ cán bộ, người lao động hoàn thành chương trình bồi dưỡng', 10, 'Danh sách, chứng chỉ bồi dưỡng', RAISED],
          ['2.2', 'Tỷ lệ cán bộ, người lao động đạt Công dân học tập', 10, undefined, RAISED],
          ['2.3', 'Cán bộ, người lao động tự học, chia sẻ tri thức', 10, undefined, L1],
        ]),
        criterion('TC3', 'Tác động của học tập', [
          ['3.1', 'Đơn vị hoàn thành tốt nhiệm vụ được giao', 10, 'Kết quả đánh giá, xếp loại đơn vị', RAISED],
          ['3.2', 'Sáng kiến, cải tiến được áp dụng', 10, undefined, RAISED],
          ['3.3', 'Môi trường làm việc văn hóa, đoàn kết', 10, undefined, L1],
        ]),
      ],
      levels: [
        { level: 'LEVEL_1', rules: [{ kind: 'INDICATORS_PASS', level: 'LEVEL_1', criteria: null, indicators: null, raisedOnly: null }] },
        {
          level: 'LEVEL_2',
          rules: [
            { kind: 'LEVEL_HOLDS', level: 'LEVEL_1' },
            { kind: 'INDICATORS_PASS', level: 'LEVEL_2', criteria: ['TC2', 'TC3'], indicators: null, raisedOnly: true },
          ],
        },
      ],
    },
  },
  {
    id: '58bc5427-9623-4a64-8397-678f2c8cb48f',
    code: 'MAU-CDAN-HT',
    title: 'LEARNING_CITIZEN',
    subjectLevel: 'PERSON',
    name: 'Mẫu — Bộ tiêu chí Công dân học tập (theo cấu trúc Quyết định 244/QĐ-KHVN: 3 năng lực, 10 chỉ tiêu, 100 điểm)',
    legalBasis:
      'Mẫu tham khảo theo cấu trúc Quyết định 244/QĐ-KHVN năm 2022 của Hội Khuyến học Việt Nam; bộ chính thức do địa phương ban hành',
    validFrom: '2023-01-01',
    definition: {
      criteria: [
        criterion('NL1', 'Năng lực tự học', [
          ['1.1', 'Có kế hoạch học tập cá nhân hằng năm', 10, 'Kế hoạch học tập cá nhân'],
          ['1.2', 'Tự học để nâng cao trình độ, kỹ năng nghề nghiệp', 10],
          ['1.3', 'Tham gia các lớp học, chương trình bồi dưỡng, học tập cộng đồng', 10],
          ['1.4', 'Đọc sách, báo, tài liệu thường xuyên', 10],
        ]),
        criterion('NL2', 'Năng lực ứng dụng công nghệ thông tin và chuyển đổi số', [
          ['2.1', 'Sử dụng thiết bị số, Internet để học tập', 10],
          ['2.2', 'Sử dụng dịch vụ công trực tuyến, thanh toán số an toàn', 10],
          ['2.3', 'Chia sẻ tri thức, hướng dẫn người khác sử dụng công nghệ', 10],
        ]),
        criterion('NL3', 'Năng lực sáng tạo và ứng dụng kết quả học tập', [
          ['3.1', 'Vận dụng kết quả học tập vào công việc, sản xuất', 10],
          ['3.2', 'Có sáng kiến, cách làm hay được ghi nhận', 10],
          ['3.3', 'Tham gia xây dựng gia đình, dòng họ, cộng đồng học tập', 10],
        ]),
      ],
      levels: [
        {
          level: 'ACHIEVED',
          rules: [
            { kind: 'TOTAL_AT_LEAST', points: 80 },
            { kind: 'NO_CRITERION_ZERO', criteria: null },
          ],
        },
      ],
    },
  },
];
