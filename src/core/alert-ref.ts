/** Alert group numbers as people see and type them (`ALERT-12`), beside incident numbers (INC-42). */

export function alertRef(id: number): string {
  return `ALERT-${id}`;
}

const ALERT_REF = /^alert-0*([1-9]\d{0,8})$/i;

/** Reads `ALERT-12` (any case); anything else is not an alert reference. */
export function parseAlertRef(text: string): number | undefined {
  const match = ALERT_REF.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}
