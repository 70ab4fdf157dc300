/** How a call ended, as the voice gateway reports it (shared by the connector and its simulator). */
export const OUTCOMES = ['answered', 'no-answer', 'busy', 'failed'] as const;
export type VoiceOutcome = (typeof OUTCOMES)[number];
