/** The request header naming an intended action, and the answer header saying it was answered from the first request (idempotency.plugin.ts). */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
