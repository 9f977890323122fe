export { handler } from '../../shared/spanner/function';
