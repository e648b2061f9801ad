/** The severity scale: what each level means, shown wherever people pick one. */
export const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DEFAULT_SEVERITY: Severity = 'sev3';

export const SEVERITY_INFO: Record<Severity, { label: string; description: string; emoji: string }> = {
  sev1: { label: 'SEV1 Critical', emoji: ':red_circle:', description: 'Outage or data loss for many customers' },
  sev2: { label: 'SEV2 Major', emoji: ':large_orange_circle:', description: 'Key feature broken or badly degraded' },
  sev3: { label: 'SEV3 Minor', emoji: ':large_yellow_circle:', description: 'Limited impact, a workaround exists' },
  sev4: { label: 'SEV4 Low', emoji: ':white_circle:', description: 'No customer impact yet, investigating' },
};

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
