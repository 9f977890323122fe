import { Logger } from '@aws-lambda-powertools/logger';
import { redactSensitive } from './redact';

/**
 * The container's structured JSON logger (CloudWatch-friendly, Powertools format).
 * The correlation middleware sets the correlation id on it per request and resets it after,
 * so every line of a request carries `correlation_id`.
 */
export const logger = new Logger({
  serviceName: 'crossgate',
  jsonReplacerFn: redactSensitive,
});
