// The runner's tests start real workers from the built engine (out/engine): build it first when a
// source is newer than the last build, exactly as `npm start` does.
import { buildIfNeeded } from './scripts/build.mjs';

export default function setup(): void {
  buildIfNeeded();
}
