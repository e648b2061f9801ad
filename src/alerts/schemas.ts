/** The shapes that cross a boundary: job payloads. */
import { z } from 'zod';

export const MessagePayloadSchema = z.object({ groupId: z.number().int().positive(), revision: z.number().int().min(0) });
