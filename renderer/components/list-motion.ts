// How fast a virtualized list moves, to tell a flick (rows go by faster than anyone reads them)
// from reading.
import type { Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useRef } from 'react';
import { GLIMPSE_PX_PER_MS } from './glimpse-speed';

/** The speed is taken over at least this long, so two scroll events in one frame do not read as a flick. */
const SPEED_WINDOW_MS = 10;

interface Motion {
  offset: number;
  at: number;
  /** The list moves faster than GLIMPSE_PX_PER_MS. */
  flicking: boolean;
  scrolling: boolean;
}

/** How fast the list moves, told by the virtualizer on each scroll that changes its rows. */
export function useMotion() {
  const motion = useRef<Motion>({ offset: 0, at: Number.NEGATIVE_INFINITY, flicking: false, scrolling: false });
  const onChange = useCallback((instance: Virtualizer<HTMLDivElement, Element>) => {
    const m = motion.current;
    const offset = instance.scrollOffset ?? 0;
    const at = performance.now();
    const wasScrolling = m.scrolling;
    m.scrolling = instance.isScrolling;
    // A list at rest, or the first move after rest (a jump: End, a click on the scrollbar's
    // track, a search scrolling to its row) is no flick; speed is measured from there.
    if (!instance.isScrolling || !wasScrolling) {
      Object.assign(m, { offset, at, flicking: false });
      return;
    }
    if (at - m.at < SPEED_WINDOW_MS) return;
    m.flicking = Math.abs(offset - m.offset) / (at - m.at) > GLIMPSE_PX_PER_MS;
    m.offset = offset;
    m.at = at;
  }, []);
  return { motion, onChange };
}
