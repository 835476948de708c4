/** Local register code: what a commune office already writes in its books. */
export const CODE = /^[0-9A-Za-z._/-]{1,50}$/;
export const CODE_MESSAGE = 'mã gồm 1–50 chữ số, chữ cái, dấu chấm, gạch nối, gạch chéo';
