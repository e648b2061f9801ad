/** Shapes of the knowledge feature's job payloads and button values. */
import { z } from 'zod';

export const SuggestPayloadSchema = z.object({ incidentId: z.number().int().positive() });

export const LinkedPayloadSchema = z.object({ incidentId: z.number().int().positive(), slug: z.string().min(1), userId: z.string().min(1) });

/** `<incidentId>:<slug>` on the Link button. */
export const LinkRunbookValueSchema = z
  .string()
  .regex(/^\d+:[a-z0-9][a-z0-9-]*$/)
  .transform((value) => {
    const [id, slug] = value.split(':') as [string, string];
    return { incidentId: Number(id), slug };
  });
