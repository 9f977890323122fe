import { createEdgeAuthorizer } from './edge-authorizer';

/** The `authorizer` Lambda function (functions/authorizer/handler.ts): the edge's token check. */
export const handler = createEdgeAuthorizer();
