import PDFDocument from 'pdfkit';

/**
 * DejaVu Serif (free licence, embedding allowed) has every precomposed Vietnamese letter; PDF's
 * standard fonts (Times, Helvetica) have none of ơ, ư, đ or the stacked tone marks. Embedded as a
 * subset, so a certificate carries only the glyphs it uses.
 */
const FONT = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSerif.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSerif-Bold.ttf'),
  italic: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSerif-Italic.ttf'),
};

/** What a certificate of commendation (giấy khen, bằng khen) says, in the order it is printed. */
export interface CertificateContent {
  /** The issuing body, top left, one line each (e.g. "ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"). */
  authority: string[];
  /** The form's heading (e.g. "BẰNG KHEN"). */
  heading: string;
  /** Who awards, under the heading (e.g. "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN"). */
  grantor: string;
  awardee: string;
  /** Who the awardee is, under the name (e.g. the household's address). */
  awardeeDetail?: string;
  /** The achievement, after "Đã có thành tích". */
  achievement: string;
  /** Where and when it is signed (the decision's place and date, YYYY-MM-DD). */
  place: string;
  date: string;
  signerTitle: string;
  signerName: string;
  decisionNumber: string;
  decisionDate: string;
  /** The number in the register of awards (số vào sổ). */
  registerNumber: string;
}

/** "ngày 2 tháng 10 năm 2026": how a Vietnamese administrative document writes its date. */
export function vietnameseDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `ngày ${day} tháng ${month} năm ${year}`;
}

/** dd/mm/yyyy, as dates are written in the decision's reference line. */
const shortDate = (isoDate: string) => isoDate.split('-').reverse().join('/');

/**
 * The certificate as a one-page A4 landscape PDF with its font embedded. Text is put in composed
 * form (NFC): input typed with combining tone marks would otherwise print the marks beside the letters.
 */
export function renderCertificatePdf(content: CertificateContent): Promise<Buffer> {
  const c = normalised(content);
  return renderPages([c], { Title: `${c.heading} – ${c.awardee}`, Author: c.grantor, Subject: `Quyết định số ${c.decisionNumber}` });
}

/**
 * A decision's certificates in one PDF, one page each in the order given, for printing in one go;
 * the font is embedded once for all pages.
 */
export function renderCertificatesPdf(contents: CertificateContent[], title: string): Promise<Buffer> {
  const pages = contents.map(normalised);
  return renderPages(pages, { Title: title.normalize('NFC'), Author: pages[0]?.grantor ?? '', Subject: title.normalize('NFC') });
}

function renderPages(pages: CertificateContent[], info: { Title: string; Author: string; Subject: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 0, autoFirstPage: false, info });
  doc.registerFont('regular', FONT.regular);
  doc.registerFont('bold', FONT.bold);
  doc.registerFont('italic', FONT.italic);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const c of pages) {
    doc.addPage();
    drawCertificate(doc, c);
  }
  doc.end();
  return done;
}

/** One certificate on the current page. */
function drawCertificate(doc: PDFKit.PDFDocument, c: CertificateContent): void {
  const width = doc.page.width;
  const height = doc.page.height;
  const red = '#b3121b';
  // a double frame, as printed certificates have
  doc
    .lineWidth(3)
    .strokeColor(red)
    .rect(24, 24, width - 48, height - 48)
    .stroke();
  doc
    .lineWidth(1)
    .rect(32, 32, width - 64, height - 64)
    .stroke();

  const left = { x: 60, width: 300 };
  const right = { x: width - 420, width: 360 };
  doc.fillColor('black');
  let y = 56;
  for (const [i, line] of c.authority.entries()) {
    doc
      .font(i === c.authority.length - 1 ? 'bold' : 'regular')
      .fontSize(12)
      .text(line, left.x, y, { width: left.width, align: 'center' });
    y = doc.y;
  }
  doc.font('bold').fontSize(12).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', right.x, 56, { width: right.width, align: 'center' });
  doc.font('bold').fontSize(12).text('Độc lập – Tự do – Hạnh phúc', right.x, doc.y, { width: right.width, align: 'center' });

  const body = { x: 80, width: width - 160 };
  doc.font('bold').fontSize(40).fillColor(red).text(c.heading, body.x, 125, { width: body.width, align: 'center' });
  doc
    .font('bold')
    .fontSize(15)
    .fillColor('black')
    .text(c.grantor, body.x, doc.y + 4, { width: body.width, align: 'center' });
  doc
    .font('bold')
    .fontSize(16)
    .text('TẶNG', body.x, doc.y + 14, { width: body.width, align: 'center' });
  doc
    .font('bold')
    .fontSize(26)
    .fillColor('#0b3d91')
    .text(c.awardee, body.x, doc.y + 10, { width: body.width, align: 'center' });
  doc.fillColor('black');
  if (c.awardeeDetail)
    doc
      .font('italic')
      .fontSize(13)
      .text(c.awardeeDetail, body.x, doc.y + 4, { width: body.width, align: 'center' });
  doc
    .font('regular')
    .fontSize(15)
    .text(`Đã có thành tích ${c.achievement}`, body.x, doc.y + 14, { width: body.width, align: 'center' });

  const signature = { x: width - 380, width: 320 };
  const signY = height - 190;
  doc
    .font('italic')
    .fontSize(13)
    .text(`${c.place}, ${vietnameseDate(c.date)}`, signature.x, signY, { width: signature.width, align: 'center' });
  doc
    .font('bold')
    .fontSize(13)
    .text(c.signerTitle, signature.x, doc.y + 4, { width: signature.width, align: 'center' });
  doc
    .font('bold')
    .fontSize(14)
    .text(c.signerName, signature.x, signY + 100, { width: signature.width, align: 'center' });

  doc.font('regular').fontSize(11);
  doc.text(`Quyết định số ${c.decisionNumber} ngày ${shortDate(c.decisionDate)}`, 60, height - 110, { width: 320 });
  doc.text(`Số vào sổ: ${c.registerNumber}`, 60, doc.y + 2, { width: 320 });
}

function normalised(c: CertificateContent): CertificateContent {
  const n = (s: string) => s.normalize('NFC');
  return {
    ...c,
    authority: c.authority.map(n),
    heading: n(c.heading),
    grantor: n(c.grantor),
    awardee: n(c.awardee),
    awardeeDetail: c.awardeeDetail === undefined ? undefined : n(c.awardeeDetail),
    achievement: n(c.achievement),
    place: n(c.place),
    signerTitle: n(c.signerTitle),
    signerName: n(c.signerName),
    decisionNumber: n(c.decisionNumber),
    registerNumber: n(c.registerNumber),
  };
}
