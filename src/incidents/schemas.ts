/** zod schemas for what reaches the incidents feature from outside: declare input, modal state, job payloads. */
import { z } from 'zod';
import { SEVERITIES } from './severity.ts';
import { ids } from './ids.ts';
import { SUMMARY_MAX, TITLE_MAX } from './incident.ts';


export const DeclareInputSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, 'Give the incident a title.')
    .max(TITLE_MAX, { error: (issue) => `The title is ${String(issue.input).trim().length} characters long; ${TITLE_MAX} at most.` }),
  severity: z.enum(SEVERITIES, { error: 'Pick a severity: sev1, sev2, sev3 or sev4.' }),
  serviceId: z.string().min(1).nullable(),
  summary: z
    .string()
    .trim()
    .max(SUMMARY_MAX, { error: (issue) => `The summary is ${String(issue.input).trim().length} characters long; ${SUMMARY_MAX} at most.` }),
  isPrivate: z.boolean(),
  isDrill: z.boolean().default(false),
});
export type DeclareInput = z.infer<typeof DeclareInputSchema>;

/** Where to tell the declarer how it went: the slash command's response_url (valid 30 minutes), else a DM. */
export const ReplyToSchema = z.object({ responseUrl: z.url().optional() });
export type ReplyTo = z.infer<typeof ReplyToSchema>;

export const ProvisionPayloadSchema = z.object({ incidentId: z.number().int().positive(), replyTo: ReplyToSchema });
export type ProvisionPayload = z.infer<typeof ProvisionPayloadSchema>;

/**
 * What the declare modal carries through its round trip: where to answer, and the alert group it was opened from
 * ("Declare incident" on an alert), which the incident takes over.
 */
export const DeclareModalMetadataSchema = ReplyToSchema.extend({ alertGroupId: z.number().int().positive().optional() });
export type DeclareOrigin = z.infer<typeof DeclareModalMetadataSchema>;

const PlainInput = z.object({ type: z.literal('plain_text_input'), value: z.string().nullish() });
const StaticSelect = z.object({ type: z.literal('static_select'), selected_option: z.object({ value: z.string() }).nullish() });
const Checkboxes = z.object({ type: z.literal('checkboxes'), selected_options: z.array(z.object({ value: z.string() })).default([]) });

const f = ids.fields;
const el = ids.inputElement;
/** The declare modal's `view.state.values`, as Slack sends them. */
export const DeclareModalStateSchema = z.object({
  [f.title]: z.object({ [el]: PlainInput }),
  [f.severity]: z.object({ [el]: StaticSelect }),
  [f.service]: z.object({ [el]: StaticSelect }).optional(),
  [f.summary]: z.object({ [el]: PlainInput }),
  [f.options]: z.object({ [el]: Checkboxes }),
});

export function declareInputFromModal(values: unknown): Record<string, unknown> {
  const state = DeclareModalStateSchema.parse(values);
  return {
    title: state[f.title][el].value ?? '',
    severity: state[f.severity][el].selected_option?.value,
    serviceId: state[f.service]?.[el].selected_option?.value ?? null,
    summary: state[f.summary][el].value ?? '',
    isPrivate: state[f.options][el].selected_options.some((o) => o.value === 'private'),
    isDrill: state[f.options][el].selected_options.some((o) => o.value === 'drill'),
  };
}

/** What the incident modals (status, severity, update, resolve, impact) carry through their round trip. */
export const IncidentMetadataSchema = z.object({ incidentId: z.number().int().positive() });

const DateTimePicker = z.object({ type: z.literal('datetimepicker'), selected_date_time: z.number().int().nullish() });

export const StatusModalStateSchema = z.object({ [f.status]: z.object({ [el]: StaticSelect }), [f.note]: z.object({ [el]: PlainInput }) });
export const SeverityModalStateSchema = z.object({ [f.severity]: z.object({ [el]: StaticSelect }), [f.note]: z.object({ [el]: PlainInput }) });
export const UpdateModalStateSchema = z.object({ [f.update]: z.object({ [el]: PlainInput }) });
export const ResolveModalStateSchema = z.object({ [f.resolution]: z.object({ [el]: PlainInput }) });
export const ImpactModalStateSchema = z.object({ [f.impactStarted]: z.object({ [el]: DateTimePicker }), [f.impactEnded]: z.object({ [el]: DateTimePicker }) });

/** The incident id a summary button carries as its value. */
export const IncidentIdValueSchema = z.coerce.number().int().positive();
