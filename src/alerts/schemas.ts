/** The shapes that cross a boundary: job payloads. */
import { z } from 'zod';

export const MessagePayloadSchema = z.object({ groupId: z.number().int().positive(), revision: z.number().int().min(0) });

/** The heartbeat deadline a job looks at: it does anything only while that is still the integration's deadline. */
export const HeartbeatDeadlinePayloadSchema = z.object({ integrationId: z.string().min(1), deadlineAt: z.number().int() });

/** A button's value: the alert group's id. */
export const GroupIdSchema = z.coerce.number().int().positive();
