import { createEdgeAuthorizer } from '../../shared/authorizer/edge-authorizer';

export const handler = createEdgeAuthorizer();
