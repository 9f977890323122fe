// Resources that exist only when a param asks for them: each block of
// `custom.optionalResources` in serverless.yml names its param (`whenParam`) and is added to
// the template when that param is set (not empty, not false). Decided at package time, so a
// stage's template holds exactly what it deploys. Written by hand because CloudFormation
// conditions were the alternative: their false branches stay in the template, and cfn-lint
// validates them anyway (E3510 on a `kms:Decrypt` statement whose key ARN is empty).
// CommonJS because osls loads variable files with require().
'use strict';

/** Param values that leave a block out. */
const OFF = new Set([undefined, null, '', false, 'false']);

module.exports = async ({ resolveConfigurationProperty, resolveVariable }) => {
  const blocks = (await resolveConfigurationProperty(['custom', 'optionalResources'])) ?? {};
  const Resources = {};
  for (const [name, block] of Object.entries(blocks)) {
    if (!block || typeof block.whenParam !== 'string' || !block.Resources) {
      throw new Error(`custom.optionalResources.${name} needs whenParam and Resources`);
    }
    const value = await resolveVariable(`param:${block.whenParam}`);
    if (OFF.has(value) || (Array.isArray(value) && value.length === 0)) continue;
    Object.assign(Resources, block.Resources);
  }
  return { Resources };
};
