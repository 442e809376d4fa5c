/**
 * Moves the focus to the next (`step` 1) or previous (-1) element of `container` that matches
 * `selector`, going round at the ends: how a modal keeps Tab (and a button row its arrows) inside.
 */
export function moveFocusWithin(container: HTMLElement | undefined, selector: string, step: 1 | -1): void {
  const stops = [...(container?.querySelectorAll<HTMLElement>(selector) ?? [])];
  if (stops.length === 0) return;
  const index = stops.indexOf(document.activeElement as HTMLElement);
  stops[(index + step + stops.length) % stops.length].focus();
}
