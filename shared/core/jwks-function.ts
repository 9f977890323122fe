import { createJwksHandler } from './jwks';

/** The `jwks` Lambda function (functions/jwks/handler.ts). */
export const handler = createJwksHandler();
