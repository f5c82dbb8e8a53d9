export { createChatTracker } from './tracker';
export type { ChatTracker, ConsentOptions, Destination, DestinationStats, IdentityName, StitchOptions, TrackerOptions, TrackerStats } from './tracker';
export { ACTION_LABELS, CHAT_ACTIONS, isChatAction } from './schema';
export type { AllowedValue, ChatAction, ChatEvent, ChatEventFields, ChatEventOrigin } from './schema';
export { VERSION, INTEGRATION } from './version';
