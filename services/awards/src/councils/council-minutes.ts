import { describeQuorum, describeThreshold, OUTCOME_NAMES, VOTE_CHOICE_NAMES } from './council-rules';
import {
  SUBJECT_KIND_NAMES,
  type ConflictRow,
  type CouncilRow,
  type ItemRow,
  type MemberRow,
  type OpenVoteRow,
  type SessionRow,
} from './council.repository';

export interface MinutesInput {
  council: CouncilRow;
  session: SessionRow;
  members: Map<string, MemberRow>;
  /** Members in force on the session's day. */
  inForce: string[];
  present: string[];
  /** Every item: closed, or removed from the agenda before any vote. */
  items: ItemRow[];
  conflicts: ConflictRow[];
  /** Per-member votes of open items only: secret ballots have none. */
  openVotes: OpenVoteRow[];
}

/** 2026-09-25 → 25/09/2026, as an administrative document writes a date. */
export const vnDate = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
};

/** The session's minutes (biên bản) as plain text, written once when the session closes. */
export function buildMinutes(x: MinutesInput): string {
  const name = (id: string) => {
    const m = x.members.get(id);
    return m ? `${m.displayName}${m.isChair ? ' (Chủ tịch Hội đồng)' : ''}` : id;
  };
  const presentSet = new Set(x.present);
  const absent = x.inForce.filter((id) => !presentSet.has(id));
  const lines: string[] = [
    `BIÊN BẢN HỌP ${x.council.name.toUpperCase()}`,
    `Ngày họp: ${vnDate(x.session.sessionDate)}`,
    `Địa điểm: ${x.session.place}`,
    `Thành viên hội đồng: ${x.inForce.length}; có mặt: ${x.present.length}; vắng mặt: ${absent.length}`,
    `Có mặt: ${x.present.map(name).join('; ') || 'không có'}`,
    `Vắng mặt: ${absent.map(name).join('; ') || 'không có'}`,
    '',
  ];
  for (const i of x.items.filter((i) => i.status === 'CLOSED')) {
    const t = i.tally!;
    lines.push(`${i.position}. ${i.title} (${SUBJECT_KIND_NAMES[i.subjectKind]}, mã ${i.nominationId ?? i.initiativeId})`);
    lines.push(`   Hình thức biểu quyết: ${i.secretBallot ? 'bỏ phiếu kín' : 'biểu quyết công khai'}`);
    lines.push(
      `   Điều kiện: ${describeQuorum(t.rules.quorum)}; thông qua khi số phiếu đồng ý ${describeThreshold(t.rules.passThreshold)}`,
    );
    const conflicts = x.conflicts.filter((c) => c.itemId === i.id);
    lines.push(
      `   Xung đột lợi ích: ${conflicts.length === 0 ? 'không có' : conflicts.map((c) => `${name(c.memberId)} — ${c.reason}`).join('; ')}`,
    );
    lines.push(
      `   Kết quả: đồng ý ${t.approve}, không đồng ý ${t.reject}, không biểu quyết ${t.abstain}` +
        ` (tính trên ${t.base} thành viên${t.excluded > 0 ? `; ${t.excluded} phiếu của thành viên có xung đột lợi ích không được tính` : ''})`,
    );
    lines.push(`   Kết luận: ${OUTCOME_NAMES[i.outcome!]}`);
    if (!i.secretBallot) {
      const votes = x.openVotes.filter((v) => v.itemId === i.id);
      for (const v of votes) lines.push(`     - ${name(v.memberId)}: ${VOTE_CHOICE_NAMES[v.choice]}`);
    }
    lines.push('');
  }
  // never put to the vote, but the minutes say what left the agenda and why
  const removed = x.items.filter((i) => i.status === 'REMOVED');
  if (removed.length > 0) {
    lines.push('Rút khỏi chương trình họp:');
    for (const i of removed) lines.push(`   ${i.position}. ${i.title} — ${i.removalReason}`);
  }
  return lines.join('\n').trimEnd() + '\n';
}
