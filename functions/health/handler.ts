export { handler } from '../../shared/core/health-function';
