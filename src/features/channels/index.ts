export { channelKinds, channelHealths } from './channel.types.ts';
export type { ChannelKind, ChannelHealth, ChannelView } from './channel.types.ts';
export { createChannel, findChannel, listChannels, findChannelByToken, rotateChannelToken } from './channel.repository.ts';
export type { NewChannel } from './channel.repository.ts';
