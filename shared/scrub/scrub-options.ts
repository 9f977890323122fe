import type { SecretDetector } from './secret-detector';
import { defaultSecretDetector } from './secretlint-detector';

export interface ScrubOptions {
  /** Finds the secrets; default: secretlint's recommended preset (secretlint-detector.ts). */
  detector?: SecretDetector;
}

export function detectorOf(options: ScrubOptions): SecretDetector {
  return options.detector ?? defaultSecretDetector();
}
