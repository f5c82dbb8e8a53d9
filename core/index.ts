export { createChatTracker } from './tracker';
export type { ChatTracker, ConsentOptions, Destination, DestinationStats, SdkStatus, TrackerOptions, TrackerStats, Undo } from './types';
export { identityStitching } from './stitch';
export type { IdentityStitcher, StitchContext, StitchOptions } from './stitch';
export { ACTION_LABELS, CHAT_ACTIONS, isChatAction } from './schema';
export type { AllowedValue, ChatAction, ChatAvailability, ChatEvent, ChatEventFields, ChatEventOrigin } from './schema';
export { VERSION, INTEGRATION } from './version';
