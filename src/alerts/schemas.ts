/** The shapes that cross a boundary: job payloads. */
import { z } from 'zod';

export const MessagePayloadSchema = z.object({ groupId: z.number().int().positive(), revision: z.number().int().min(0) });

/** A button's value: the alert group's id. */
export const GroupIdSchema = z.coerce.number().int().positive();
