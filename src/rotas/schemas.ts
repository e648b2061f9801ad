/** The shapes that cross a boundary: job payloads, and what buttons and modals send. */
import { z } from 'zod';

export const HandoffPayloadSchema = z.object({ scheduleId: z.string().min(1), start: z.number().int() });
const Span = z.object({ start: z.number(), end: z.number() });
export const ShiftChangeSchema = z.discriminatedUnion('reason', [
  z.object({
    reason: z.literal('override'),
    action: z.enum(['added', 'removed']),
    role: z.enum(['covering', 'covered']),
    scheduleId: z.string().min(1),
    coverer: z.string().min(1),
    from: z.number(),
    to: z.number(),
    by: z.string().min(1),
    overrideId: z.number().int().positive(),
  }),
  z.object({ reason: z.literal('rota'), scheduleId: z.string().min(1), before: z.array(Span), after: z.array(Span) }),
]);
export const ShiftsChangedPayloadSchema = z.object({ userId: z.string().min(1), change: ShiftChangeSchema });

/** The Remove button's value: the override's id. */
export const OverrideIdSchema = z.coerce.number().int().positive();

/** Seconds since 1970, before it too: a time out of bounds is refused on its own field, not as unreadable. */
const seconds = z.number().int();
/** The override modal's state, as Slack sends it in view_submission. */
export const OverrideModalStateSchema = z.object({
  schedule: z.object({ value: z.object({ selected_option: z.object({ value: z.string() }).nullable() }) }),
  user: z.object({ value: z.object({ selected_user: z.string().nullable() }) }),
  from: z.object({ value: z.object({ selected_date_time: seconds.nullable() }) }),
  to: z.object({ value: z.object({ selected_date_time: seconds.nullable() }) }),
});
