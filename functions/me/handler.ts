export { handler } from '../../shared/core/me-function';
