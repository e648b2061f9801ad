/** How people see and type incident numbers: INC-42. */
export function incidentRef(id: number): string {
  return `INC-${id}`;
}

/** Reads `INC-42`, `inc-42` or `#42`; anything else is not an incident reference. */
export function parseIncidentRef(text: string): number | undefined {
  const match = /^(?:inc-|#)(\d{1,9})$/i.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}
