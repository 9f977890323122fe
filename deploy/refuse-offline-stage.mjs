// Refuses `osls deploy` (and `deploy function`) for a stage listed in
// `custom.offlineOnlyStages`. Those stages point the functions at 127.0.0.1 and the Spanner
// emulator; `provider.stage` defaults to `dev` so that `npm start` needs no flag, which also
// means a bare `osls deploy` would send that stack to AWS. Packaging and offline stay allowed.
// Written by hand: osls has no per-stage "deployable" switch.

export default class RefuseOfflineStage {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    const refuse = () => this.refuseOfflineStage();
    // `initialize` runs first for every command, before packaging or any AWS call.
    this.hooks = { initialize: refuse };
  }

  refuseOfflineStage() {
    const commands = this.serverless.processedInput?.commands ?? [];
    if (commands[0] !== 'deploy') return;
    const stage = this.options.stage ?? this.serverless.service.provider.stage;
    const offlineOnly = this.serverless.service.custom?.offlineOnlyStages ?? [];
    if (offlineOnly.includes(stage)) {
      throw new this.serverless.classes.Error(
        `Stage "${stage}" is offline only (loopback URLs, the Spanner emulator) and is never ` +
          'deployed to AWS. Deploy a real stage: `npx osls deploy --stage prod` ' +
          '(docs/deploy.md, "Deploy and call it").',
        'CROSSGATE_OFFLINE_STAGE',
      );
    }
  }
}
