export { handler } from '../../shared/core/jwks-function';
