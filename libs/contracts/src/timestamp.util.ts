const RFC3339_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/**
 * RFC 3339 date-time with a 'T' separator and an explicit offset. Checked by hand because both
 * Date.parse and validator.js accept impossible dates such as 2024-02-30.
 */
export function isRfc3339Timestamp(value: unknown): value is string {
  if (typeof value !== 'string') {
    return false;
  }
  const match = RFC3339_PATTERN.exec(value);
  if (match === null) {
    return false;
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}
