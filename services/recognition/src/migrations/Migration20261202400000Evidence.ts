import { Migration } from '@mikro-orm/migrations';

/**
 * Evidence of an assessment: files uploaded once and kept on disk by content (sha256), and the
 * links from an assessment's indicator to a file or to a web address (exactly one of the two).
 */
export class Migration20261202400000Evidence extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table evidence_file (
      id uuid primary key,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      size_bytes int not null check (size_bytes > 0),
      content_type text not null,
      file_name text not null check (length(file_name) between 1 and 255),
      -- relative to EVIDENCE_DIR; uploads of the same content share one stored file
      storage_path text not null,
      uploaded_by text not null,
      uploaded_at timestamptz not null default now()
    )`);
    this.addSql('create index evidence_file_sha256_idx on evidence_file (sha256)');
    this.addSql(`create table assessment_evidence (
      id uuid primary key,
      assessment_id uuid not null references assessment (id),
      indicator_code text not null check (length(btrim(indicator_code)) > 0),
      evidence_file_id uuid null references evidence_file (id),
      url text null check (url is null or (length(url) <= 2000 and url ~* '^https?://')),
      created_at timestamptz not null default now(),
      created_by text not null,
      check (num_nonnulls(evidence_file_id, url) = 1)
    )`);
    this.addSql('create index assessment_evidence_assessment_idx on assessment_evidence (assessment_id)');
    this.addSql('create index assessment_evidence_file_idx on assessment_evidence (evidence_file_id) where evidence_file_id is not null');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists assessment_evidence');
    this.addSql('drop table if exists evidence_file');
  }
}
