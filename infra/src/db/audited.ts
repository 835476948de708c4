/** Who registered a participant and who last changed it, and when: every change is audited (domain.md §6). */
export abstract class Audited {
  createdAt: Date = new Date();
  createdBy!: string;
  updatedAt: Date = new Date();
  updatedBy!: string;
}

/** The EntitySchema properties of `Audited`, for every table that has the four columns. */
export const auditedProperties = {
  createdAt: { type: 'Date', fieldName: 'created_at' },
  createdBy: { type: 'text', fieldName: 'created_by' },
  updatedAt: { type: 'Date', fieldName: 'updated_at' },
  updatedBy: { type: 'text', fieldName: 'updated_by' },
} as const;
