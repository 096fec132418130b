/**
 * Where the actor is, how big, and whether it shows, at any time: one motion per planned segment,
 * each starting from the state the previous one ended in, so the actor never jumps between
 * activities. Pure given the random source; every motion is a closed-form function of time, so
 * any frame can be rendered on its own.
 *
 * Geometry, in pixels, scaled by `unit` = (shorter frame side) / 288 so other frame sizes look alike:
 * - The actor's centre stays in a safe rectangle: x within maxRadius + margin of the sides, y in a
 *   middle band that leaves room for the widest orbit. Only "moving" and "circling" move it.
 * - moving left/right: 40–90 px/s in the labelled direction for the whole segment; the frame is a
 *   horizontal cylinder (the actor leaving one side re-enters from the other, drawn on both sides
 *   while it crosses), and the speed is chosen so the segment ends back inside the safe rectangle.
 * - circling: orbit radius 30–60 px, a whole number of turns at 0.3–0.8 rev/s, so it ends where it began.
 * - growing/shrinking: a sawtooth at a steady rate whatever the segment's length, so every
 *   analysis window (3.2 s for the demo model) sees it: each 1.5–2.5 s cycle spends 85 % ramping
 *   the radius between 1.05·minRadius and 0.95·maxRadius (about ×2) in the labelled direction and
 *   15 % returning. The first cycle starts at the phase matching the current radius: no jump.
 * - blinking: shown and hidden in turn, 50 % duty, 1–3 Hz, starting shown.
 * - idle: stays, with a wobble of about a pixel.
 */
import type { Activity } from './activities.js';
import type { PlannedActivity } from './plan.js';
import type { Random } from './random.js';

export interface ActorState {
  /** Centre, pixels; x in [0, width) (the cylinder's canonical copy). */
  x: number;
  y: number;
  /** Outer radius, pixels. */
  radius: number;
  visible: boolean;
}

export interface ActorMotion {
  stateAt(seconds: number): ActorState;
}

export interface ActorGeometry {
  width: number;
  height: number;
  margin: number;
  minRadius: number;
  maxRadius: number;
  minOrbit: number;
  maxOrbit: number;
  minSpeed: number;
  maxSpeed: number;
}

export function actorGeometry(width: number, height: number): ActorGeometry {
  const unit = Math.min(width, height) / 288;
  return {
    width,
    height,
    margin: 4 * unit,
    minRadius: 20 * unit,
    maxRadius: 46 * unit,
    minOrbit: 30 * unit,
    maxOrbit: 60 * unit,
    minSpeed: 40 * unit,
    maxSpeed: 90 * unit,
  };
}

interface Segment {
  startSeconds: number;
  endSeconds: number;
  stateAt(seconds: number): ActorState;
}

export function planActorMotion(random: Random, geometry: ActorGeometry, plan: readonly PlannedActivity[]): ActorMotion {
  const { width, height, margin, maxRadius } = geometry;
  const band = Math.max(0, height / 2 - margin - geometry.maxOrbit - maxRadius);
  let state: ActorState = {
    x: random.uniform(margin + maxRadius, Math.max(margin + maxRadius, width - margin - maxRadius)),
    y: height / 2 + random.uniform(-band, band),
    radius: random.uniform(1.2, 1.8) * geometry.minRadius,
    visible: true,
  };
  const segments: Segment[] = [];
  for (const planned of plan) {
    const segment = segmentMotion(random, geometry, planned, state);
    segments.push(segment);
    state = { ...segment.stateAt(planned.endSeconds), visible: true };
  }
  const first = segments[0];
  return {
    stateAt(seconds) {
      if (first === undefined) return state;
      return findSegment(segments, seconds).stateAt(seconds);
    },
  };
}

/** The segment covering `seconds` (the first before 0, the last after the end); binary search. */
function findSegment(segments: readonly Segment[], seconds: number): Segment {
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((segments[middle] as Segment).startSeconds <= seconds) low = middle;
    else high = middle - 1;
  }
  return segments[low] as Segment;
}

function segmentMotion(random: Random, geometry: ActorGeometry, planned: PlannedActivity, start: ActorState): Segment {
  const { startSeconds, endSeconds } = planned;
  const duration = Math.max(endSeconds - startSeconds, 1e-6);
  const progress = (seconds: number): number => Math.min(1, Math.max(0, (seconds - startSeconds) / duration));
  const stateAt = motionFor(planned.activity, random, geometry, start, duration, startSeconds, progress);
  return { startSeconds, endSeconds, stateAt };
}

function motionFor(
  activity: Activity,
  random: Random,
  geometry: ActorGeometry,
  start: ActorState,
  duration: number,
  startSeconds: number,
  progress: (seconds: number) => number,
): (seconds: number) => ActorState {
  switch (activity) {
    case 'idle': {
      const phases = [0, 1, 2, 3].map(() => random.uniform(0, 2 * Math.PI));
      const [phaseA = 0, phaseB = 0, phaseC = 0, phaseD = 0] = phases;
      return (seconds) => ({
        ...start,
        x: start.x + 0.7 * Math.sin(2 * Math.PI * 1.3 * seconds + phaseA) + 0.4 * Math.sin(2 * Math.PI * 2.9 * seconds + phaseB),
        y: start.y + 0.7 * Math.sin(2 * Math.PI * 1.1 * seconds + phaseC) + 0.4 * Math.sin(2 * Math.PI * 3.3 * seconds + phaseD),
      });
    }
    case 'moving left':
    case 'moving right': {
      const direction = activity === 'moving left' ? -1 : 1;
      const distance = travelDistance(random, geometry, start.x, direction, duration);
      return (seconds) => ({ ...start, x: wrap(start.x + direction * distance * progress(seconds), geometry.width) });
    }
    case 'circling': {
      const orbit = chooseOrbit(random, geometry, start);
      const turns = wholeTurns(random, duration);
      const spin = random.next() < 0.5 ? -1 : 1;
      return (seconds) => {
        const angle = orbit.phase + spin * 2 * Math.PI * turns * progress(seconds);
        return { ...start, x: orbit.centreX + orbit.radius * Math.cos(angle), y: orbit.centreY + orbit.radius * Math.sin(angle) };
      };
    }
    case 'growing':
    case 'shrinking': {
      const growing = activity === 'growing';
      const small = 1.05 * geometry.minRadius;
      const large = 0.95 * geometry.maxRadius;
      const period = random.uniform(1.5, 2.5);
      // Fraction of the ramp the current radius stands at, seen from the ramp's start.
      const along = Math.min(1, Math.max(0, (start.radius - small) / (large - small)));
      const startPhase = RAMP_SHARE * (growing ? along : 1 - along);
      return (seconds) => {
        const phase = (startPhase + (seconds - startSeconds) / period) % 1;
        const ramp = sawtooth(phase); // 0 → 1 along the ramp, back to 0 in the return
        return { ...start, radius: growing ? small + (large - small) * ramp : large - (large - small) * ramp };
      };
    }
    case 'blinking': {
      const frequency = random.uniform(1, 3);
      return (seconds) => ({ ...start, visible: ((seconds - startSeconds) * frequency) % 1 < 0.5 });
    }
  }
}

/** x modulo width, in [0, width). */
export function wrap(x: number, width: number): number {
  return ((x % width) + width) % width;
}

/**
 * Pixels travelled over the segment: a speed in [minSpeed, maxSpeed] whose end position (on the
 * cylinder) lies in the safe x range. The valid distances are a union of intervals, one per lap;
 * one is drawn in proportion to its length. If none exists (a very short segment), the speed
 * range's middle is used.
 */
function travelDistance(random: Random, geometry: ActorGeometry, x: number, direction: number, duration: number): number {
  const { width, margin, maxRadius } = geometry;
  const low = geometry.minSpeed * duration;
  const high = geometry.maxSpeed * duration;
  const safeLow = margin + maxRadius;
  const safeHigh = Math.max(safeLow, width - margin - maxRadius);
  // End x = x + direction·d (mod width) ∈ [safeLow, safeHigh] ⇔ d ∈ [first + k·width, first + span + k·width].
  const first = direction > 0 ? wrap(safeLow - x, width) : wrap(x - safeHigh, width);
  const span = safeHigh - safeLow;
  const intervals: [number, number][] = [];
  for (let lap = Math.floor((low - first - span) / width); first + lap * width <= high; lap += 1) {
    const from = Math.max(low, first + lap * width);
    const to = Math.min(high, first + span + lap * width);
    if (to >= from) intervals.push([from, to]);
  }
  const total = intervals.reduce((sum, [from, to]) => sum + (to - from), 0);
  let pick = random.uniform(0, total);
  for (const [from, to] of intervals) {
    if (pick <= to - from) return from + pick;
    pick -= to - from;
  }
  return (low + high) / 2;
}

interface Orbit {
  centreX: number;
  centreY: number;
  radius: number;
  /** Angle of the actor's start position seen from the centre, radians. */
  phase: number;
}

/**
 * An orbit through the actor's position that stays inside the frame (with the actor's own radius
 * and the margin): 24 start angles in random rotation are tried, at a random orbit radius, then
 * at smaller radii.
 */
function chooseOrbit(random: Random, geometry: ActorGeometry, start: ActorState): Orbit {
  const { width, height, margin } = geometry;
  const rotation = random.uniform(0, 2 * Math.PI);
  const shuffled = Array.from({ length: 24 }, (_, index) => ({ angle: rotation + (index * 2 * Math.PI) / 24, key: random.next() }))
    .sort((left, right) => left.key - right.key);
  let radius = random.uniform(geometry.minOrbit, geometry.maxOrbit);
  for (let attempt = 0; attempt < 12; attempt += 1) {
    for (const { angle } of shuffled) {
      const centreX = start.x - radius * Math.cos(angle);
      const centreY = start.y - radius * Math.sin(angle);
      const reach = radius + start.radius + margin;
      if (centreX - reach >= 0 && centreX + reach <= width && centreY - reach >= 0 && centreY + reach <= height) {
        return { centreX, centreY, radius, phase: angle };
      }
    }
    radius *= 0.85;
  }
  return { centreX: start.x - radius, centreY: start.y, radius, phase: 0 };
}

/** A whole number of turns at 0.3–0.8 rev/s (exists for segments ≥ 2 s; shorter ones turn once). */
function wholeTurns(random: Random, duration: number): number {
  const fewest = Math.ceil(0.3 * duration);
  const most = Math.floor(0.8 * duration);
  return most >= fewest ? random.int(Math.max(1, fewest), Math.max(1, most)) : 1;
}

/** Share of a growing/shrinking cycle spent on the ramp; the rest returns to the start. */
const RAMP_SHARE = 0.85;

/** phase in [0, 1) → 0..1 rising over the ramp share, then falling back to 0. */
export function sawtooth(phase: number): number {
  return phase < RAMP_SHARE ? phase / RAMP_SHARE : 1 - (phase - RAMP_SHARE) / (1 - RAMP_SHARE);
}
