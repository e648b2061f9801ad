/** The shapes that cross a boundary: job payloads, and what the Acknowledge button sends. */
import { z } from 'zod';

export const EscalatePayloadSchema = z.object({ escalationId: z.number().int().positive(), level: z.number().int().min(0), loop: z.number().int().min(0) });
export const ExhaustPayloadSchema = z.object({ escalationId: z.number().int().positive() });
export const SyncPayloadSchema = z.object({ escalationId: z.number().int().positive(), revision: z.number().int().min(0) });

/** The Acknowledge button's value: the page's id. */
export const PageIdSchema = z.coerce.number().int().positive();
