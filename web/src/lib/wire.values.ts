// Constants and pure rules the server defines, imported from their own dependency-free modules (never a feature's
// index.ts, which would pull server code into the bundle), so the web app and the API cannot disagree on them.
export { roles, hasRole } from '../../../src/features/accounts/roles.ts';
export { intents, sentiments } from '../../../src/features/classification/labels.ts';
export { defaultTopics } from '../../../src/features/classification/topics.tagger.ts';
export { channelKinds, channelHealths } from '../../../src/features/channels/channel.types.ts';
export { supportsPrivateReply } from '../../../src/features/channels/send-connector.ts';
export { ruleTags } from '../../../src/features/listening/rule.types.ts';
export { identityKinds } from '../../../src/features/identity/identity.types.ts';
export { macroVariables } from '../../../src/features/replies/macros/macro.template.ts';
