export { handler } from '../../shared/core/authorizer-function';
