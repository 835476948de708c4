import { textInput, uuidInput } from '@xhht/infra';
import { z } from 'zod';

/** A piece of evidence of an initiative or a nomination: a titled document, by link and/or uploaded file. */
export const evidenceInput = z.object({
  title: textInput('tên tài liệu minh chứng', 300),
  url: z
    .string()
    .trim()
    .max(2000, 'đường dẫn dài tối đa 2000 ký tự')
    .regex(/^https?:\/\/\S+$/i, 'đường dẫn phải bắt đầu bằng http:// hoặc https://')
    .nullish(),
  fileId: uuidInput('tệp minh chứng').nullish(),
});
