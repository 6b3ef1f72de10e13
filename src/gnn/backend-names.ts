// The tfjs backends by name, in the order `auto` tries them. Apart from backend.ts (which loads tfjs) so that the
// CLI schemas can list them in --help without loading tfjs.
export const BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';
/** What --backend accepts. */
export const BACKEND_CHOICES = ['auto', ...BACKENDS] as const;
