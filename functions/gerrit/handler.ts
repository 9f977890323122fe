export { handler } from '../../shared/gerrit/function';
