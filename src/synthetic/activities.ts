/**
 * The activities of the synthetic videos: what the actor does in each planned segment, and the
 * class list (in this order) of the demo model trained on them.
 */
export const ACTIVITIES = ['idle', 'moving left', 'moving right', 'circling', 'growing', 'shrinking', 'blinking'] as const;

export type Activity = (typeof ACTIVITIES)[number];
