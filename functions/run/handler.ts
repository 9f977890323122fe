export { handler } from '../../shared/cloud-run/function';
