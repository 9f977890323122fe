import { GatewayLogger } from './gateway-logger';

/**
 * The container's structured JSON logger (CloudWatch-friendly, Powertools format; see
 * gateway-logger.ts). The correlation middleware sets the correlation id on it per request,
 * so every line of a request carries `correlation_id`.
 */
export const logger = new GatewayLogger({ serviceName: 'crossgate' });
