// The speed past which a virtualized list draws rows as their glimpse (list-motion.ts); a
// module of its own so tests can read it without the list's dependencies.

/**
 * Faster than this (px a ms: a 52 px row every frame, ~3,000 px a second) nobody reads a row's
 * details, and a full row is more than a frame can lay out and paint a dozen of on a slow
 * machine: rows that come into view at that speed are drawn as their glimpse (what the eye
 * catches while skimming: status and title), and become full rows once the list stops. A row
 * already shown in full stays so, and a list scrolled at reading pace never glimpses.
 */
export const GLIMPSE_PX_PER_MS = 3;
