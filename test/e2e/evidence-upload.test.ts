import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createLogger, evidenceDir, initORM, type MikroORM, type RoleGrant } from '@xhht/infra';
import {
  attachEvidence,
  evidenceForAssessments,
  type AttachEvidenceArgs,
} from '../../services/recognition/src/evidence/evidence.repository';
import { recognitionService } from '../../services/recognition/src/service';

type EntityManager = Parameters<typeof attachEvidence>[0];
import { fakeExe, tinyDocx, tinyPdf, tinyPng, tinyXlsx } from '../support/files';
import {
  citizenTokenFor,
  createProvince,
  createUnit,
  eventually,
  gatewayCredential,
  gql,
  sql,
  stack,
  tokenFor,
  uniqueCode,
} from '../support/stack';

const MAX_BYTES = 10 * 1024 * 1024;
const filesUrl = () => stack().gatewayUrl.replace(/\/graphql$/, '/files/evidence');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const dir = () => evidenceDir('test');

/** Every stored file (relative paths), and whatever is left in the temporary folder. */
function storedFiles(): { kept: string[]; temporary: string[] } {
  if (!existsSync(dir())) return { kept: [], temporary: [] };
  const kept: string[] = [];
  for (const sub of readdirSync(dir())) {
    if (sub === 'tmp') continue;
    for (const f of readdirSync(path.join(dir(), sub))) kept.push(path.join(sub, f));
  }
  const tmp = path.join(dir(), 'tmp');
  return { kept: kept.sort(), temporary: existsSync(tmp) ? readdirSync(tmp) : [] };
}
const rowCount = async () => Number((await sql<{ n: string }>('recognition', 'select count(*) as n from evidence_file'))[0]!.n);

async function upload(body: Buffer, opts: { token?: string | null; type?: string; name?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? (await officerA())}`;
  if (opts.type !== undefined) headers['content-type'] = opts.type;
  if (opts.name !== undefined) headers['x-file-name'] = encodeURIComponent(opts.name);
  const res = await fetch(filesUrl(), { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as any };
}

async function download(id: string, token: string | null) {
  const res = await fetch(`${filesUrl()}/${id}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes };
}
const errorCode = (body: any) => body?.errors?.[0]?.extensions?.code as string | undefined;

let communeA: { id: string };
let communeB: { id: string };
let villageA: { id: string };
const officerA = () => tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeA.id }], 'officer-a');

beforeAll(async () => {
  const { province } = await createProvince('Việt Nam (minh chứng)');
  communeA = await createUnit({
    code: uniqueCode(),
    name: 'Xã Tân Thành',
    kind: 'COMMUNE',
    parentId: province.id,
    validFrom: '2025-07-01',
  });
  communeB = await createUnit({ code: uniqueCode(), name: 'Xã Minh Sơn', kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
  villageA = await createUnit({
    code: uniqueCode(),
    name: 'Thôn Bản Mới',
    kind: 'VILLAGE',
    parentId: communeA.id,
    validFrom: '2025-07-01',
  });
});

describe('evidence files through the gateway', () => {
  it('uploads a PDF and downloads exactly its bytes, with its hash, type and name', async () => {
    const pdf = tinyPdf(`Bien ban ${randomUUID()}`);
    const name = 'Biên bản họp "Gia đình học tập" 2025.pdf';
    const res = await upload(pdf, { type: 'application/pdf', name });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      sha256: sha256(pdf),
      sizeBytes: pdf.length,
      contentType: 'application/pdf',
      fileName: name,
    });

    const [row] = await sql<{ storage_path: string; uploaded_by: string }>('recognition', 'select * from evidence_file where id = $1', [
      res.body.id,
    ]);
    expect(row).toMatchObject({ uploaded_by: 'officer-a', storage_path: path.join(sha256(pdf).slice(0, 2), sha256(pdf)) });
    expect(readFileSync(path.join(dir(), row!.storage_path)).equals(pdf)).toBe(true);

    const got = await download(res.body.id, await officerA());
    expect(got.status).toBe(200);
    expect(got.bytes.equals(pdf)).toBe(true);
    expect(sha256(got.bytes)).toBe(res.body.sha256);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-length')).toBe(String(pdf.length));
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-disposition')).toBe(
      `attachment; filename="Bien ban hop _Gia dinh hoc tap_ 2025.pdf"; filename*=UTF-8''${encodeURIComponent(name).replace(/'/g, '%27')}`,
    );

    const q = await gql(
      `query($id: ID!) { evidenceFile(id: $id) { id sha256 sizeBytes contentType fileName uploadedAt } }`,
      { id: res.body.id },
      { token: await officerA() },
    );
    expect(q.errors).toBeUndefined();
    expect(q.data!.evidenceFile).toEqual({ ...res.body, uploadedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it('accepts PNG, JPEG, Word and Excel files by their bytes; the same content twice is stored once', async () => {
    const png = tinyPng([Math.floor(Math.random() * 255), 10, 200]);
    const before = storedFiles().kept.length;
    const first = await upload(png, { type: 'image/png', name: 'anh-giay-khen.png' });
    const second = await upload(png, { token: await citizenTokenFor(randomUUID()), type: 'application/octet-stream', name: 'bản sao.png' });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toMatchObject({
      sha256: first.body.sha256,
      sizeBytes: png.length,
      contentType: 'image/png',
      fileName: 'bản sao.png',
    });
    expect(second.body.id).not.toBe(first.body.id);
    const rows = await sql<{ storage_path: string }>('recognition', 'select distinct storage_path from evidence_file where sha256 = $1', [
      first.body.sha256,
    ]);
    expect(rows).toHaveLength(1);
    expect(storedFiles().kept.length).toBe(before + 1);
    expect(storedFiles().kept.filter((f) => f.endsWith(first.body.sha256))).toHaveLength(1);

    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
      Buffer.from('JFIF\0'),
      Buffer.from(randomUUID()),
      Buffer.from([0xff, 0xd9]),
    ]);
    const docx = tinyDocx();
    const xlsx = tinyXlsx();
    const cases: [Buffer, string | undefined, string][] = [
      [jpeg, 'image/jpeg', 'image/jpeg'],
      [
        docx,
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ],
      [xlsx, undefined, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ];
    for (const [bytes, declared, stored] of cases) {
      const res = await upload(bytes, { type: declared });
      expect({ status: res.status, contentType: res.body.contentType }).toEqual({ status: 201, contentType: stored });
      // unnamed uploads get a name with the right extension
      expect(res.body.fileName).toMatch(/^minh-chung\.(jpg|docx|xlsx)$/);
    }
  });

  it('refuses a file over the limit with 413 and keeps nothing: no file, no temporary file, no row', async () => {
    const before = { files: storedFiles(), rows: await rowCount() };
    const officerAToken = await officerA();
    const tooLarge = tinyPdf('qua lon', MAX_BYTES + 1);
    const res = await upload(tooLarge, { type: 'application/pdf', name: 'qua-lon.pdf' });
    expect(res.status).toBe(413);
    expect(errorCode(res.body)).toBe('PAYLOAD_TOO_LARGE');
    expect(await rowCount()).toBe(before.rows);
    expect(storedFiles()).toEqual({ kept: before.files.kept, temporary: [] });

    // sent without a declared length, it is refused while streaming, with the same result
    const chunks = async function* () {
      for (let sent = 0; sent <= MAX_BYTES; sent += 1024 * 1024) yield new Uint8Array(tooLarge.subarray(sent, sent + 1024 * 1024));
    };
    const streamed = await fetch(filesUrl(), {
      method: 'POST',
      headers: { authorization: `Bearer ${await officerA()}`, 'content-type': 'application/pdf' },
      body: ReadableStream.from(chunks()),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(errorCode(await streamed.json())).toBe('PAYLOAD_TOO_LARGE');
    expect(await rowCount()).toBe(before.rows);
    expect(storedFiles()).toEqual({ kept: before.files.kept, temporary: [] });

    // the gateway itself refuses a declared length beyond its upload limit (25 MiB), before relaying a byte
    const gatewayRefusal = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = http.request(filesUrl(), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${officerAToken}`,
          'content-type': 'application/pdf',
          'content-length': String(30 * 1024 * 1024),
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => {
          resolve({ status: res.statusCode!, body: JSON.parse(text) });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.write(tooLarge.subarray(0, 1024));
    });
    expect(gatewayRefusal.status).toBe(413);
    expect(errorCode(gatewayRefusal.body)).toBe('PAYLOAD_TOO_LARGE');
    expect(await rowCount()).toBe(before.rows);

    // exactly the limit is accepted
    const atLimit = await upload(tinyPdf('vua du', MAX_BYTES), { type: 'application/pdf' });
    expect(atLimit.status).toBe(201);
    expect(atLimit.body.sizeBytes).toBe(MAX_BYTES);
  });

  it('refuses types other than PDF, JPEG, PNG, DOCX and XLSX by their bytes, and a declared type the bytes contradict (415)', async () => {
    const before = { files: storedFiles(), rows: await rowCount() };
    const cases: [Buffer, string][] = [
      [fakeExe(), 'application/pdf'],
      [Buffer.from('Đây chỉ là văn bản, không phải PDF'), 'application/pdf'],
      [Buffer.from('<html><script>alert(1)</script></html>'), 'text/html'],
      [tinyPng(), 'application/pdf'],
      [tinyPdf(), 'image/png'],
    ];
    for (const [bytes, type] of cases) {
      const res = await upload(bytes, { type, name: 'tai-lieu.pdf' });
      expect({ type, status: res.status, code: errorCode(res.body) }).toEqual({ type, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(res.body.errors[0].message).toMatch(/[ạảãáàâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ]/i);
    }
    const empty = await upload(Buffer.alloc(0), { type: 'application/pdf' });
    expect(empty.status).toBe(400);
    expect(await rowCount()).toBe(before.rows);
    expect(storedFiles()).toEqual({ kept: before.files.kept, temporary: [] });
  });

  it('needs a signed-in caller with a role that self-assesses or reviews', async () => {
    const before = await rowCount();
    const pdf = tinyPdf();
    const anonymous = await upload(pdf, { token: null, type: 'application/pdf' });
    expect([anonymous.status, errorCode(anonymous.body)]).toEqual([401, 'UNAUTHENTICATED']);
    const forged = await upload(pdf, { token: 'not-a-token', type: 'application/pdf' });
    expect(forged.status).toBe(401);
    for (const grant of [
      { role: 'COUNCIL_MEMBER', unitId: communeA.id },
      { role: 'PARTNER' },
      { role: 'STEERING_COMMITTEE', unitId: communeA.id },
    ] as RoleGrant[]) {
      const res = await upload(pdf, { token: await tokenFor([grant]), type: 'application/pdf' });
      expect({ role: grant.role, status: res.status, code: errorCode(res.body) }).toEqual({
        role: grant.role,
        status: 403,
        code: 'FORBIDDEN',
      });
    }
    for (const grant of [
      { role: 'CITIZEN', personId: randomUUID() },
      { role: 'ASSOCIATION_OFFICER', unitId: communeA.id },
      { role: 'EDUCATION_OFFICER', unitId: communeA.id },
      { role: 'ORGANIZATION_OFFICER', organizationId: randomUUID() },
      { role: 'SYSTEM_ADMIN' },
    ] as RoleGrant[]) {
      expect((await upload(tinyPdf(randomUUID()), { token: await tokenFor([grant]), type: 'application/pdf' })).status).toBe(201);
    }
    expect(await rowCount()).toBe(before + 5);
    // and only through the gateway
    const direct = await fetch(new URL('/files/evidence', stack().serviceUrls.recognition), {
      method: 'POST',
      headers: { authorization: `Bearer ${await officerA()}`, 'content-type': 'application/pdf' },
      body: pdf,
    });
    expect(direct.status).toBe(403);
  });

  it('downloads are for the uploader, administrators, reviewers covering an assessment citing the file, and its citizen', async () => {
    const citizen = await gql(`mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { person { id } } }`, {
      input: {
        unitId: villageA.id,
        code: uniqueCode(),
        fullName: 'Hoàng Văn Nam',
        birthYear: 1988,
        sex: 'MALE',
        occupationalGroup: 'FARMER',
      },
    });
    expect(citizen.errors).toBeUndefined();
    const personId = citizen.data!.registerPerson.person.id as string;
    // the scope is answered from recognition's replica of the hierarchy
    await eventually(
      async () => ((await sql('recognition', 'select 1 from admin_unit_replica where id = $1', [villageA.id])).length ? true : undefined),
      30000,
      'village replicated',
    );

    const uploader = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: villageA.id }]);
    const pdf = tinyPdf(`Phieu tu danh gia ${randomUUID()}`);
    const file = (await upload(pdf, { token: uploader, type: 'application/pdf', name: 'phiếu tự đánh giá.pdf' })).body;
    const officerB = await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeB.id }]);
    const otherCitizen = await citizenTokenFor(randomUUID());
    const ownCitizen = await citizenTokenFor(personId);

    // not cited by any assessment yet: only its uploader and administrators
    expect((await download(file.id, uploader)).status).toBe(200);
    expect((await download(file.id, await tokenFor([{ role: 'SYSTEM_ADMIN' }]))).status).toBe(200);
    expect((await download(file.id, await officerA())).status).toBe(403);
    expect((await download(file.id, ownCitizen)).status).toBe(403);

    // an assessment of that citizen, registered in the village, cites the file
    const cycleId = randomUUID();
    const assessmentId = randomUUID();
    await sql(
      'recognition',
      `insert into recognition_cycle (id, year, title, subject_level, name, deciding_unit_id, submission_deadline, decision_deadline, created_by)
       values ($1, 2025, 'LEARNING_CITIZEN', 'PERSON', 'Công dân học tập 2025', $2, '2025-11-30', '2025-12-31', 'test')`,
      [cycleId, communeA.id],
    );
    await sql(
      'recognition',
      `insert into assessment (id, cycle_id, subject_kind, subject_id, subject_unit_id, criteria_set_id, created_by, updated_by)
       values ($1, $2, 'PERSON', $3, $4, $5, 'test', 'test')`,
      [assessmentId, cycleId, personId, villageA.id, randomUUID()],
    );
    await sql(
      'recognition',
      `insert into assessment_evidence (id, assessment_id, indicator_code, evidence_file_id, created_by) values ($1, $2, 'TC1', $3, 'test')`,
      [randomUUID(), assessmentId, file.id],
    );
    const officerAGot = await download(file.id, await officerA());
    expect(officerAGot.status).toBe(200);
    expect(sha256(officerAGot.bytes)).toBe(file.sha256);
    const citizenGot = await download(file.id, ownCitizen);
    expect(citizenGot.status).toBe(200);
    expect(citizenGot.bytes.equals(pdf)).toBe(true);

    for (const token of [
      officerB,
      otherCitizen,
      await tokenFor([
        { role: 'COMMUNE_OFFICER', unitId: communeB.id },
        { role: 'CITIZEN', personId: randomUUID() },
      ]),
    ]) {
      const refused = await download(file.id, token);
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.bytes.toString('utf8')).errors[0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        messageKey: 'EVIDENCE_FORBIDDEN',
      });
      const q = await gql(`query($id: ID!) { evidenceFile(id: $id) { id } }`, { id: file.id }, { token });
      expect(q.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'EVIDENCE_FORBIDDEN' });
    }
    const viaGraph = await gql(`query($id: ID!) { evidenceFile(id: $id) { sha256 fileName } }`, { id: file.id }, { token: ownCitizen });
    expect(viaGraph.data!.evidenceFile).toEqual({ sha256: file.sha256, fileName: 'phiếu tự đánh giá.pdf' });

    // unknown ids are 404 (and null in GraphQL); no token is 401; bypassing the gateway is refused
    expect((await download(randomUUID(), uploader)).status).toBe(404);
    expect((await download('khong-phai-uuid', uploader)).status).toBe(404);
    expect(
      (await gql(`query($id: ID!) { evidenceFile(id: $id) { id } }`, { id: randomUUID() }, { token: uploader })).data!.evidenceFile,
    ).toBeNull();
    expect((await download(file.id, null)).status).toBe(401);
    const direct = await fetch(new URL(`/files/evidence/${file.id}`, stack().serviceUrls.recognition), {
      headers: { authorization: `Bearer ${uploader}` },
    });
    expect(direct.status).toBe(403);
    const withCredential = await fetch(new URL(`/files/evidence/${file.id}`, stack().serviceUrls.recognition), {
      headers: { authorization: `Bearer ${uploader}`, 'x-xhht-gateway': await gatewayCredential() },
    });
    expect(withCredential.status).toBe(200);
  });
});

describe('attachEvidence and evidenceForAssessments, as the assessment workflow calls them, on the recognition database', () => {
  let orm: MikroORM;
  let assessmentId: string;
  let otherAssessmentId: string;
  let ownFile: { id: string };
  let othersFile: { id: string };
  const uploaderSubject = 'officer-a';

  beforeAll(async () => {
    orm = await initORM({
      databaseUrl: stack().databaseUrls.recognition,
      entities: recognitionService.entities,
      migrations: recognitionService.migrations,
      logger: createLogger('test-evidence', 'warn'),
    });
    const cycleId = randomUUID();
    [assessmentId, otherAssessmentId] = [randomUUID(), randomUUID()];
    await sql(
      'recognition',
      `insert into recognition_cycle (id, year, title, subject_level, name, deciding_unit_id, submission_deadline, decision_deadline, created_by)
       values ($1, 2025, 'LEARNING_FAMILY', 'HOUSEHOLD', 'Gia đình học tập 2025', $2, '2025-11-30', '2025-12-31', 'test')`,
      [cycleId, communeA.id],
    );
    for (const id of [assessmentId, otherAssessmentId]) {
      await sql(
        'recognition',
        `insert into assessment (id, cycle_id, subject_kind, subject_id, subject_unit_id, criteria_set_id, created_by, updated_by)
         values ($1, $2, 'HOUSEHOLD', $3, $4, $5, 'test', 'test')`,
        [id, cycleId, randomUUID(), villageA.id, randomUUID()],
      );
    }
    ownFile = (await upload(tinyPdf(randomUUID()), { type: 'application/pdf' })).body;
    othersFile = (
      await upload(tinyPdf(randomUUID()), {
        token: await tokenFor([{ role: 'COMMUNE_OFFICER', unitId: communeA.id }]),
        type: 'application/pdf',
      })
    ).body;
  });
  afterAll(() => orm.close(true));

  const attach = (args: Partial<AttachEvidenceArgs>) =>
    orm.em
      .fork()
      .transactional((em) => attachEvidence(em as EntityManager, { assessmentId, indicatorCode: 'TC1.1', by: uploaderSubject, ...args }));

  it('links a file or a web address to an indicator, and lists each assessment its evidence in one call', async () => {
    const file = await attach({ evidenceFileId: ownFile.id, indicatorCode: '  TC1.1 ' });
    const link = await attach({ url: 'https://xatanthanh.gov.vn/tin-tuc/hoi-nghi-khuyen-hoc', indicatorCode: 'TC2' });
    expect(file).toMatchObject({ assessmentId, indicatorCode: 'TC1.1', evidenceFileId: ownFile.id, url: null, createdBy: uploaderSubject });
    expect(link).toMatchObject({
      indicatorCode: 'TC2',
      evidenceFileId: null,
      url: 'https://xatanthanh.gov.vn/tin-tuc/hoi-nghi-khuyen-hoc',
    });

    const listed = await evidenceForAssessments(orm.em.fork() as EntityManager, [assessmentId, otherAssessmentId]);
    expect(listed.get(assessmentId)!.map((e) => [e.indicatorCode, e.evidenceFileId ?? e.url])).toEqual([
      ['TC1.1', ownFile.id],
      ['TC2', 'https://xatanthanh.gov.vn/tin-tuc/hoi-nghi-khuyen-hoc'],
    ]);
    expect(listed.get(otherAssessmentId)).toEqual([]);
  });

  it('refuses, writing nothing: no indicator, neither or both of file and address, an unknown or someone else’s file, a bad address, an unknown assessment', async () => {
    const count = async () => Number((await sql<{ n: string }>('recognition', 'select count(*) as n from assessment_evidence'))[0]!.n);
    const before = await count();
    const cases: [Partial<AttachEvidenceArgs>, string, string][] = [
      [{ indicatorCode: '  ', url: 'https://example.vn' }, 'INDICATOR_CODE_REQUIRED', 'indicatorCode'],
      [{}, 'EVIDENCE_FILE_OR_URL', 'evidenceFileId'],
      [{ evidenceFileId: ownFile.id, url: 'https://example.vn' }, 'EVIDENCE_FILE_OR_URL', 'url'],
      [{ evidenceFileId: randomUUID() }, 'EVIDENCE_FILE_NOT_FOUND', 'evidenceFileId'],
      [{ evidenceFileId: 'khong-phai-uuid' }, 'EVIDENCE_FILE_NOT_FOUND', 'evidenceFileId'],
      [{ evidenceFileId: othersFile.id }, 'EVIDENCE_FILE_NOT_FOUND', 'evidenceFileId'],
      [{ url: 'ftp://example.vn/bien-ban.pdf' }, 'EVIDENCE_URL_INVALID', 'url'],
      [{ url: 'javascript:alert(1)' }, 'EVIDENCE_URL_INVALID', 'url'],
      [{ url: `https://example.vn/${'a'.repeat(2000)}` }, 'EVIDENCE_URL_INVALID', 'url'],
      [{ url: 'https://example.vn', assessmentId: randomUUID() }, 'ASSESSMENT_NOT_FOUND', 'assessmentId'],
    ];
    for (const [args, messageKey, field] of cases) {
      const error = await attach(args).then(
        () => undefined,
        (err: { extensions?: Record<string, unknown> }) => err.extensions,
      );
      expect({ args, error }).toEqual({ args, error: expect.objectContaining({ messageKey, field: ['input', field] }) });
    }
    expect(await count()).toBe(before);
    // an address of exactly 2000 characters is fine
    const longest = `https://example.vn/${'a'.repeat(2000 - 'https://example.vn/'.length)}`;
    expect((await attach({ url: longest })).url).toHaveLength(2000);
  });
});
