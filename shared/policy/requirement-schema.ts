import * as z from 'zod';
import { principalKinds, type Requirement } from './requirement';

/** A requirement as config declares it (requirement.ts); checked when the config is compiled. */
export const requirementSchema: z.ZodType<Requirement> = z.lazy(() =>
  z.union([
    z.strictObject({ authenticated: z.literal(true) }),
    z.strictObject({ scope: z.string().min(1) }),
    z.strictObject({ group: z.string().min(1) }),
    z.strictObject({ kind: z.enum(principalKinds) }),
    z.strictObject({ not: requirementSchema }),
    z.strictObject({ anyOf: z.array(requirementSchema).min(1) }),
    z.strictObject({ allOf: z.array(requirementSchema).min(1) }),
  ]),
);
